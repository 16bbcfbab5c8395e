from .navigation import menu, viewer


def navigation(request):
    """The signed-in user's roles today and their menu, for the header of every page (read once per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    who = viewer(request)
    entries = menu(request)
    return {
        "current_roles": [role.name for role in who.roles],
        "current_groups": sorted(who.groups),
        "menu": entries,
        # The URL names of the menu, for a page's own links to them (e.g. the Mina kontroller tab).
        "menu_names": {entry["name"] for entry in entries},
        "user_is_director": who.is_director,
    }
