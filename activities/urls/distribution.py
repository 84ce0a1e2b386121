"""Routes of the distribution pages (names: ``activities:<entity>-<action>``).

A receipt is opened by its short code (``/r/<code>/``): the QR code on the sign-off sheet.
"""

from django.urls import path

from activities.views import distribution as views
from activities.views import receipt, verification

urlpatterns: list = [
    path("distributions/", views.distribution_list, name="distribution-list"),
    path("distributions/new/", views.distribution_create, name="distribution-create"),
    path("distributions/<int:pk>/", views.distribution_detail, name="distribution-detail"),
    path("distributions/<int:pk>/edit/", views.distribution_update, name="distribution-update"),
    path(
        "distributions/<int:pk>/allocate/",
        views.distribution_allocate,
        name="distribution-allocate",
    ),
    path(
        "distributions/<int:pk>/allocations/<int:allocation_pk>/remove/",
        views.allocation_remove,
        name="distribution-allocation-remove",
    ),
    path(
        "distributions/<int:pk>/recipients/",
        views.distribution_recipients,
        name="distribution-recipients",
    ),
    path(
        "distributions/<int:pk>/recipients/add/",
        views.distribution_recipient_add,
        name="distribution-recipient-add",
    ),
    path(
        "distributions/<int:pk>/approve/", views.distribution_approve, name="distribution-approve"
    ),
    path("distributions/<int:pk>/sheet/", receipt.distribution_sheet, name="distribution-sheet"),
    path(
        "distributions/<int:pk>/confirm/", receipt.distribution_confirm, name="distribution-confirm"
    ),
    path("distributions/<int:pk>/close/", views.distribution_close, name="distribution-close"),
    path(
        "distributions/<int:pk>/verification/new/",
        verification.verification_round_create,
        name="verification-round-create",
    ),
    path(
        "distributions/verification/<int:pk>/",
        verification.verification_round_detail,
        name="verification-round-detail",
    ),
    path(
        "distributions/verification/check/<int:pk>/",
        verification.verification_record,
        name="verification-record",
    ),
    path("r/<str:code>/", receipt.receipt_detail, name="receipt-detail"),
    path("r/<str:code>/confirm/", receipt.receipt_confirm, name="receipt-confirm"),
    path("r/<str:code>/signature/", receipt.receipt_signature, name="receipt-signature"),
    path("r/<str:code>/remove/", views.receipt_remove, name="receipt-remove"),
]
