"""Routes of the household pages (names: ``households:<entity>-<action>``)."""

from django.urls import path

from households import views, views_campaign, views_difficulty, views_import, views_survey

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
    path("<int:pk>/concerns/new/", views.concern_create, name="concern-create"),
    path("concerns/<int:pk>/", views.concern_update, name="concern-update"),
]

# Household files (households.views_import): upload, dry run, confirm; office staff only.
urlpatterns += [
    path("import/", views_import.import_upload, name="import-upload"),
    path("import/template.csv", views_import.import_template, name="import-template"),
    path("import/<int:pk>/", views_import.import_preview, name="import-preview"),
    path("import/<int:pk>/confirm/", views_import.import_confirm, name="import-confirm"),
    path("import/<int:pk>/columns/", views_import.import_remap, name="import-remap"),
]

# The in-difficulty flag (households.views_difficulty): office staff and commune cadres.
urlpatterns += [
    path(
        "<int:pk>/difficulty/",
        views_difficulty.household_difficulty,
        name="household-difficulty",
    ),
]

# The review campaign, step by step (households.views_campaign).
urlpatterns += [
    path("campaigns/", views_campaign.campaign_list, name="campaign-list"),
    path("campaigns/new/", views_campaign.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views_campaign.campaign_detail, name="campaign-detail"),
    path(
        "campaigns/<int:pk>/households/new/",
        views_campaign.campaign_entry_add,
        name="campaign-entry-add",
    ),
    path("campaigns/<int:pk>/meetings/new/", views_campaign.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/minutes.pdf", views_campaign.meeting_minutes, name="meeting-minutes"),
    path("campaigns/<int:pk>/postings/new/", views_campaign.posting_create, name="posting-create"),
    path(
        "campaigns/<int:pk>/complaints/new/",
        views_campaign.complaint_create,
        name="complaint-create",
    ),
    path("complaints/<int:pk>/settle/", views_campaign.complaint_settle, name="complaint-settle"),
    path(
        "campaigns/<int:pk>/decision/new/", views_campaign.decision_create, name="decision-create"
    ),
    path("reviews/<int:pk>/certificate.pdf", views_campaign.certificate, name="certificate"),
    path("<int:pk>/reviews/adhoc/", views_campaign.adhoc_create, name="adhoc-create"),
]

# The survey at the door (households.views_survey): staff and cadres edit, auditors read.
urlpatterns += [
    path("reviews/entries/<int:pk>/survey/", views_survey.survey_detail, name="survey"),
    path(
        "reviews/entries/<int:pk>/survey/<slug:section>/",
        views_survey.survey_section,
        name="survey-section",
    ),
]
