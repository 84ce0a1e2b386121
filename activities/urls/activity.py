"""Routes of the activity pages (names: ``activities:<entity>-<action>``)."""

from django.urls import path

from activities.views import activity as views

urlpatterns: list = [
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/new/", views.activity_create, name="activity-create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/edit/", views.activity_update, name="activity-update"),
]
