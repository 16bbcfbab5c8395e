"""Who may do what: the Django groups that match the users in DESIGN.md.

Groups carry model-level permissions (what kind of thing a person may change);
object-level rules (a unit lead changes only their own unit's goals, a role
holder logs only their own checks) live beside the models they guard.
The groups are (re)built after every ``migrate`` by ``sync_groups``."""

from fnmatch import fnmatch

from django.contrib.auth.models import Group, Permission

DIRECTOR = "Förbundsdirektör"
ADMIN_CHIEF = "Administrativ chef"
UNIT_LEAD = "Enhetsledare"
ROLE_HOLDER = "Kontrollansvarig"
READ_ONLY = "Läsbehörighet"
# The revisorer read like the Direktion and, besides, get the evidence pack (internalcontrol).
AUDITOR = "Revisor"

# "app_label.codename" patterns per group (fnmatch syntax).
GROUP_PERMISSIONS: dict[str, list[str]] = {
    DIRECTOR: ["*.*"],
    ADMIN_CHIEF: [
        "*.view_*",
        "internalcontrol.*",
        "federation.add_decision",
        "federation.change_decision",
    ],
    UNIT_LEAD: [
        "*.view_*",
        "goals.add_*",
        "goals.change_*",
    ],
    ROLE_HOLDER: [
        "*.view_*",
        "internalcontrol.change_check",
        "internalcontrol.add_evidence",
        "internalcontrol.add_deviation",
        "internalcontrol.add_action",
    ],
    READ_ONLY: ["*.view_*"],
    AUDITOR: ["*.view_*"],
}

# Never granted through a group pattern: account and scheduler internals.
EXCLUDED_APPS = {"admin", "contenttypes", "sessions"}


def permissions_matching(patterns):
    permissions = Permission.objects.select_related("content_type").exclude(content_type__app_label__in=EXCLUDED_APPS)
    return [
        permission
        for permission in permissions
        if any(fnmatch(f"{permission.content_type.app_label}.{permission.codename}", p) for p in patterns)
    ]


def sync_groups():
    """Create the groups and set exactly the permissions GROUP_PERMISSIONS gives them."""
    for name, patterns in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions_matching(patterns))


# --- Locks --------------------------------------------------------------------
# A closed fiscal year (and a reported internkontrollplan) is locked: only the
# förbundsdirektör may still change it, and such a change is recorded in the
# object's history with this reason (simple_history ``_change_reason``).
LOCK_OVERRIDE_REASON = "Ändrad efter låsning av förbundsdirektören"


def lock_override_reason(reason: str = "") -> str:
    """The history's change reason of the director's change after locking, with their own words."""
    return f"{LOCK_OVERRIDE_REASON}: {reason.strip()}" if reason.strip() else LOCK_OVERRIDE_REASON


def year_locked_message(fiscal_year) -> str:
    from django.utils.translation import gettext as _

    return _("Verksamhetsåret %(year)s är stängt och kan bara ändras av förbundsdirektören.") % {
        "year": fiscal_year.year
    }
