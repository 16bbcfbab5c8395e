from federation import dates

from .selectors import roles_held_by


def navigation(request):
    """The signed-in user's roles today, for the header of every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_roles": [role.name for role in roles_held_by(user=user, on=dates.today())],
        "current_groups": [group.name for group in user.groups.all()],
    }
