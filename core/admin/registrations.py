"""Background jobs in the admin: to look at, never to edit (tasks own their rows)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.models import Job, Reminder
from core.paginator import CappedCountPaginator


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "status",
        "progress_display",
        "message",
        "created_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["created_by"]
    search_fields = ["kind", "message"]
    date_hierarchy = "created_at"
    paginator = CappedCountPaginator
    show_full_result_count = False
    readonly_fields = [
        "kind",
        "status",
        "progress",
        "total",
        "message",
        "errors",
        "result",
        "created_by",
        "started_at",
        "finished_at",
        "attempts",
        "heartbeat_at",
        "task_name",
        "task_args",
        "task_kwargs",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("progress"))
    def progress_display(self, obj: Job) -> str:
        return f"{obj.percent}%"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Reminders and digests sent (households.reminders, activities.reminders): a record to
    read; the jobs write it, nobody edits it."""

    list_display = ["kind", "recipient", "period", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["kind", "period"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    readonly_fields = ["kind", "recipient", "period", "summary", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
