"""A stock Django admin over the same households, for ``make bench`` to compare against.

What a developer gets from ``admin.site.register`` with the obvious options: the list, a search
on the name and the code (``icontains``, so no tone-free search), the usual filters, Django's own
paginator (an exact ``COUNT(*)``) and ``OFFSET`` pages. Mounted by tests/bench/urls.py only: the
bench process serves it beside the app; the app never does.
"""

from django.contrib import admin

from households.models import Household


class StockSite(admin.AdminSite):
    site_header = "Stock Django admin (bench)"


site = StockSite(name="admin_stock")


@admin.register(Household, site=site)
class StockHouseholdAdmin(admin.ModelAdmin):
    list_display = ["code", "head_name", "village", "poverty", "last_reviewed_on"]
    list_filter = ["poverty", "policy_family", "in_difficulty", "archived"]
    search_fields = ["code", "head_name"]
    list_select_related = ["village"]
    raw_id_fields = ["village"]
