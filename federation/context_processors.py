from django.utils import timezone

from .selectors import roles_held_by


def navigation(request):
    """The signed-in user's roles today, for the header of every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = list(roles_held_by(user=user, on=timezone.localdate()))
    return {
        "current_roles": [role.name for role in roles],
        # as federation.selectors.is_director answers, from the roles read here (no query more)
        "user_is_director": user.is_active and (user.is_superuser or any(role.is_director for role in roles)),
        "current_groups": [group.name for group in user.groups.all()],
    }
