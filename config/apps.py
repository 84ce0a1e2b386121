from django.contrib.admin.apps import AdminConfig


class BaCungAdminConfig(AdminConfig):
    """Django's admin on the scoped site (config.admin_site)."""

    default_site = "config.admin_site.BaCungAdminSite"
