"""Routes of the money pages (names: ``activities:<entity>-<action>``)."""

from django.urls import path

from activities.views import money as views

urlpatterns: list = [
    path("donations/", views.donation_list, name="donation-list"),
    path("donations/new/", views.donation_create, name="donation-create"),
    path("donations/<int:pk>/", views.donation_detail, name="donation-detail"),
    path("donations/<int:pk>/edit/", views.donation_update, name="donation-update"),
    path("donations/<int:pk>/allocate/", views.donation_allocate, name="donation-allocate"),
    path("allocations/<int:pk>/remove/", views.allocation_remove, name="allocation-remove"),
    path("grants/", views.grant_list, name="grant-list"),
    path("grants/new/", views.grant_create, name="grant-create"),
    path("grants/<int:pk>/", views.grant_detail, name="grant-detail"),
    path("grants/<int:pk>/edit/", views.grant_update, name="grant-update"),
    path("grants/<int:pk>/allocate/", views.grant_allocate, name="grant-allocate"),
    path("grants/<int:pk>/payments/", views.grant_payment, name="grant-payment"),
]
