from django import template

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A user's name the Vietnamese way, family name first ("Ma Văn Thắng"), else the login."""
    name = " ".join(part for part in (user.last_name, user.first_name) if part)
    return name or user.get_username()
