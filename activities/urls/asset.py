"""Routes of the asset pages (names: ``activities:<entity>-<action>``)."""

from django.urls import path

from activities.views import asset as views

urlpatterns: list = [
    path("assets/", views.asset_list, name="asset-list"),
    path("assets/new/", views.asset_create, name="asset-create"),
    path("assets/labels/", views.asset_labels, name="asset-labels"),
    path("assets/<int:pk>/", views.asset_detail, name="asset-detail"),
    path("assets/<int:pk>/log/", views.asset_log, name="asset-log"),
    path("assets/<int:pk>/fault/", views.asset_fault, name="asset-fault"),
    path("assets/<int:pk>/label/", views.asset_label, name="asset-label"),
    path("a/<str:code>/", views.asset_by_code, name="asset-by-code"),
    path("villages/<int:pk>/", views.village_detail, name="village-detail"),
]
