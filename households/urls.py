"""Routes of the household pages (names: ``households:<entity>-<action>``)."""

from django.urls import path

from households import views, views_import

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="household-list"),
    path("new/", views.household_create, name="household-create"),
    path("<int:pk>/", views.household_detail, name="household-detail"),
    path("<int:pk>/edit/", views.household_update, name="household-update"),
    path("<int:pk>/print/", views.household_print, name="household-print"),
    path("<int:pk>/archive/", views.household_archive, name="household-archive"),
    path("<int:pk>/flag/", views.household_flag, name="household-flag"),
    path("<int:pk>/members/new/", views.member_create, name="member-create"),
    path("members/<int:pk>/", views.member_update, name="member-update"),
    path("reviews/", views.review_queue, name="review-queue"),
    path("<int:pk>/reviews/new/", views.review_create, name="review-create"),
    path("<int:pk>/concerns/new/", views.concern_create, name="concern-create"),
    path("concerns/<int:pk>/", views.concern_update, name="concern-update"),
]

# Household files (households.views_import): upload, dry run, confirm; office staff only.
urlpatterns += [
    path("import/", views_import.import_upload, name="import-upload"),
    path("import/template.csv", views_import.import_template, name="import-template"),
    path("import/<int:pk>/", views_import.import_preview, name="import-preview"),
    path("import/<int:pk>/confirm/", views_import.import_confirm, name="import-confirm"),
]
