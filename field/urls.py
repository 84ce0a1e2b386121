from django.urls import path

from field import api, views

app_name = "field"

urlpatterns = [
    path("", views.app, name="app"),
    path("api/data.json", api.data, name="data"),
    path("api/sync/", api.sync, name="sync"),
]
