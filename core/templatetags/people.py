from django import template

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A user's full name, family name first ("Ma Văn Thắng"), else the login name.

    Every page and label shows a user's name through this. The whole name is stored in
    ``first_name`` (core.admin.users says why); a row still split in two (made outside the admin:
    a script, a test factory) keeps Django's meaning of ``last_name``, the family name, and reads
    it first.
    """
    name = " ".join(part for part in (user.last_name, user.first_name) if part)
    return name or user.get_username()
