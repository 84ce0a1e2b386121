"""Users in the admin with one name field, family name first ("Nguyễn Thị Thu Hà").

A Vietnamese name is read family name first and is one unit: split into Django's "first name"
and "last name" boxes, it came out reversed wherever ``get_full_name()`` put the first name
first ("Hà Nguyễn Thị Thu"). The whole name lives in ``first_name`` (Django's own
``get_full_name()`` then returns it as written); ``last_name`` stays empty and is not offered.
Migration core 0004 joined the names stored before, family part first. Pages show a user's name
through ``core.templatetags.people.display_name``.
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from core.templatetags.people import display_name

User = get_user_model()
FULL_NAME = _("Full name")
FULL_NAME_HELP = _("Family name first, as on the ID card: Nguyễn Thị Thu Hà.")


class _FullNameLabel:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "first_name" in self.fields:
            self.fields["first_name"].label = FULL_NAME
            self.fields["first_name"].help_text = FULL_NAME_HELP


class UserChangeFullNameForm(_FullNameLabel, UserChangeForm):
    pass


class UserCreationFullNameForm(_FullNameLabel, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        fields = ("username", "first_name")


class UserAdmin(auth_admin.UserAdmin):
    form = UserChangeFullNameForm
    add_form = UserCreationFullNameForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "email")}),
        *auth_admin.UserAdmin.fieldsets[2:],
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("username", "full_name", "email", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email")

    @admin.display(description=FULL_NAME, ordering="first_name")
    def full_name(self, user) -> str:
        return display_name(user)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserAdmin)
