"""Routes of the connection channel (names: ``channel:<entity>-<action>``).

``verify/`` is also named ``verify`` at the root (config/urls.py), the address printed on sheets.
"""

from django.urls import path

from channel import views

app_name = "channel"
urlpatterns: list = [
    path("news/", views.post_list, name="post-list"),
    path("news/new/", views.post_create, name="post-create"),
    path("news/subscription/", views.subscription, name="subscription"),
    path("news/<int:pk>/", views.post_detail, name="post-detail"),
    path("news/p/<str:code>/", views.post_public, name="post-public"),
    path("news/photos/<int:pk>/<str:size>/", views.post_photo, name="post-photo"),
    path("verify/", views.verify, name="verify"),
    path("a/<str:code>/report/", views.asset_report, name="asset-report"),
    path("fault-reports/", views.fault_report_list, name="fault-report-list"),
    path("fault-reports/<int:pk>/", views.fault_report_detail, name="fault-report-detail"),
    path("fault-reports/<int:pk>/handle/", views.fault_report_handle, name="fault-report-handle"),
    path("fault-reports/<int:pk>/photo/", views.fault_report_photo, name="fault-report-photo"),
]
