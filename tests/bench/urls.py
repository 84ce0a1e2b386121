"""The app's URLs and, beside them, the stock admin the bench compares with (tests/bench/stock)."""

from django.urls import path

from config.urls import urlpatterns as app_urlpatterns
from tests.bench.stock import site

urlpatterns = [path("stock-admin/", site.urls), *app_urlpatterns]
