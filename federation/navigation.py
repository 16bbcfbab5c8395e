"""Who is looking, what their menu holds and where they land: one place for every page.

A ``Viewer`` is read once per request (the roles held today, with the role facts the apps registered,
and the groups: two queries) and kept on the request. The menu is the registered ``MenuItem``s
(federation.registry) whose ``visible(viewer)`` says yes; each app's predicate is the same rule its
views apply (e.g. ``reports.permissions.reports_allowed``). The landing page is the first item, by
``landing`` order, that is the user's work; a user with no role and no group lands on a page saying
so and sees nothing else (``NoRoleMiddleware``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse

from . import dates
from .models import Unit
from .registry import menu_items, role_facts


@dataclass
class Viewer:
    """The signed-in user with what they hold today."""

    user: object
    on: datetime.date
    roles: list = field(default_factory=list)
    groups: frozenset = frozenset()

    @classmethod
    def read(cls, user, on: datetime.date | None = None) -> Viewer:
        on = on or dates.today()
        if not user.is_authenticated:
            return cls(user=user, on=on)
        from .selectors import roles_held_by

        facts = {fact.name: fact.condition() for fact in role_facts()}
        roles = list(
            roles_held_by(user=user, on=on)
            .annotate(leads_unit=Exists(Unit.objects.filter(lead_role=OuterRef("pk"))), **facts)
            .order_by("name")
        )
        read = cls(user=user, on=on, roles=roles, groups=frozenset(user.groups.values_list("name", flat=True)))
        user._viewer = read  # for federation.selectors.is_director in the same request
        return read

    def holds(self, fact: str) -> bool:
        """Whether a role held today has the registered role fact ``fact``."""
        return any(getattr(role, fact) for role in self.roles)

    @property
    def is_director(self) -> bool:
        """``federation.selectors.is_director`` on what is already read."""
        user = self.user
        return (
            user.is_authenticated and user.is_active and (user.is_superuser or any(r.is_director for r in self.roles))
        )

    @property
    def leads_units(self) -> bool:
        """``units_led_by(...).exists()`` on what is already read (a parent's lead leads the parent)."""
        return any(role.leads_unit for role in self.roles)

    @property
    def has_no_role(self) -> bool:
        """Signed in, but neither holding a role today nor in a group: nothing here is theirs yet."""
        user = self.user
        return user.is_authenticated and not (user.is_superuser or self.roles or self.groups)


def viewer(request) -> Viewer:
    """The request's viewer, read once."""
    cached = getattr(request, "_viewer", None)
    if cached is None or cached.user is not request.user:
        cached = request._viewer = Viewer.read(request.user)
    return cached


def menu(request) -> list[dict]:
    """The menu entries the request's user may open, in order; ``current`` marks the page's own entry."""
    cached = getattr(request, "_menu", None)
    if cached is not None:
        return cached
    who = viewer(request)
    if not who.user.is_authenticated or who.has_no_role:
        request._menu = []
        return request._menu
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    section = match.app_name if match else ""
    items = [item for item in menu_items() if item.visible(who)]
    own = {item.url_name: item for item in items} | {name: item for item in items for name in item.current_for}
    entries = []
    for item in items:
        claimed = own.get(view_name)
        current = claimed is item if claimed else bool(item.section) and item.section == section
        entries.append(
            {"name": item.url_name, "label": str(item.label), "url": reverse(item.url_name), "current": current}
        )
    request._menu = entries
    return entries


def landing_url_name(request) -> str:
    """Where the user's work is: the first visible item by ``landing`` order, else the översikt."""
    who = viewer(request)
    if who.has_no_role:
        return "federation:no_role"
    work = sorted((item for item in menu_items() if item.landing is not None), key=lambda item: item.landing)
    return next((item.url_name for item in work if item.is_landing_for(who)), "federation:home")


# --- A signed-in user with no role -----------------------------------------------------------

# What such a user may still reach: logging in and out, their password, and the admin (which asks for
# staff status itself). Everything else answers with the no-role page.
OPEN_TO_EVERY_USER = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "federation:landing",
    "federation:no_role",
}
OPEN_NAMESPACES = {"admin"}


class NoRoleMiddleware:
    """A signed-in user without a role or group sees only the page that says so (403 everywhere else)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN_TO_EVERY_USER or OPEN_NAMESPACES & set(match.namespaces):
            return None
        if not viewer(request).has_no_role:
            return None
        return render(request, "federation/no_role.html", status=403)


def no_role(request):
    """The page a signed-in user without a role sees; anyone else goes to their own start page."""
    if not viewer(request).has_no_role:
        return redirect("federation:landing")
    return render(request, "federation/no_role.html")
