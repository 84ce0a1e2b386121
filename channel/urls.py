"""Routes of the connection channel (names: ``channel:<entity>-<action>``).

``verify/`` is also named ``verify`` at the root (config/urls.py), the address printed on sheets.
"""

from django.urls import path

from channel import views
from channel.notify import admin_views as zalo_views
from channel.notify import views_inbound, views_log

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
    path("channel/zalo/webhook/", views_inbound.zalo_webhook, name="zalo-webhook"),
    path("channel/messages/", views_inbound.inbound_list, name="inbound-list"),
    path("channel/messages/<int:pk>/", views_inbound.inbound_detail, name="inbound-detail"),
    path("channel/messages/<int:pk>/link/", views_inbound.inbound_link, name="inbound-link"),
    path("channel/concerns/<int:pk>/answer/", views_inbound.concern_answer, name="concern-answer"),
    # The delivery log, and the notices of what families received (channel.notify.views_log).
    path("channel/notices/", views_log.notice_list, name="notice-list"),
    path("channel/notices/<int:pk>/", views_log.notice_detail, name="notice-detail"),
    path(
        "channel/distributions/<int:pk>/notify/",
        views_log.distribution_notify,
        name="distribution-notify",
    ),
    # The administrators' OAuth v4 (PKCE) connection of the Zalo OA.
    path("channel/zalo/connect/", zalo_views.zalo_connect, name="zalo-connect"),
    path("channel/zalo/callback/", zalo_views.zalo_callback, name="zalo-callback"),
]
