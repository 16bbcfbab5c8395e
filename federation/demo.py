"""Demo data for Boråsregionen: the organisation from fixtures/, and one demo
user per kind of user. Only ``manage.py load_demo`` calls this; migrations
never create users. Safe to run again: nothing is duplicated."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from . import access, dates, services
from .models import FiscalYear, Role, RoleAssignment

DEMO_PASSWORD = "demo"
# The years of the real annual reports; the demo adds the year of today after them (``current_year``).
REAL_YEARS = (2019, 2020)

# username, first name, last name, groups, roles (role, from, to), staff
DEMO_USERS = [
    ("direktor", "Karin", "Ek", [access.DIRECTOR], [("Förbundsdirektör", "2016-01-01", None)], True),
    ("adminchef", "Anders", "Lind", [access.ADMIN_CHIEF], [("Administrativ chef", "2017-03-01", None)], True),
    (
        "navet",
        "Sara",
        "Björk",
        [access.UNIT_LEAD],
        [("Verksamhetschef Navet science center", "2015-08-01", None)],
        False,
    ),
    ("revisor", "Per", "Gran", [access.READ_ONLY, access.AUDITOR], [], False),
    ("direktion", "Eva", "Holm", [access.READ_ONLY], [], False),
    (
        "regionutv",
        "Johan",
        "Berg",
        [access.UNIT_LEAD, access.ROLE_HOLDER],
        [("Regionutvecklingschef", "2014-01-01", None)],
        False,
    ),
    ("ekonomnavet", "Lena", "Asp", [access.ROLE_HOLDER], [("Ekonom Navet", "2016-01-01", None)], False),
    ("ekonom", "Maria", "Al", [access.ROLE_HOLDER], [("Ekonom", "2018-01-01", None)], False),
    ("skydd1", "Ali", "Hassan", [access.ROLE_HOLDER], [("Skyddskommittén", "2018-01-01", None)], False),
    ("skydd2", "Ingrid", "Sjö", [access.ROLE_HOLDER], [("Skyddskommittén", "2019-01-01", None)], False),
    # A former holder: held Skyddskommittén until 2018-12-31, so gets nothing after.
    ("skydd0", "Olle", "Strand", [access.ROLE_HOLDER], [("Skyddskommittén", "2015-01-01", "2018-12-31")], False),
    (
        "brb",
        "Nils",
        "Vik",
        [access.UNIT_LEAD],
        [("Verksamhetsledare Business Region Borås", "2019-01-01", None)],
        False,
    ),
    ("kompetens", "Elin", "Dahl", [access.UNIT_LEAD], [("Samordnare Kompetens", "2017-01-01", None)], False),
    ("valfard", "Petra", "Lund", [access.UNIT_LEAD], [("Samordnare Välfärd", "2016-01-01", None)], False),
    ("miljo", "Oskar", "Ström", [access.UNIT_LEAD], [("Miljöstrategisk samordnare", "2018-01-01", None)], False),
    ("kultur", "Hanna", "Rask", [access.UNIT_LEAD], [("Kultursamordnare", "2016-01-01", None)], False),
    ("destination", "Jonas", "Falk", [access.UNIT_LEAD], [("Samordnare besöksnäring", "2017-01-01", None)], False),
    ("ekontoret", "Sofia", "Ny", [access.UNIT_LEAD], [("eSamordnare", "2017-01-01", None)], False),
    ("dso", "Emma", "Lilja", [access.UNIT_LEAD], [("Dataskyddsombud", "2018-05-25", None)], False),
    (
        "mc",
        "Karl",
        "Sund",
        [access.UNIT_LEAD],
        [("Verksamhetschef Medarbetarcentrum", "2015-01-01", None)],
        False,
    ),
    ("narvard", "Maja", "Ås", [access.UNIT_LEAD], [("Koordinator Närvårdskontoret", "2016-01-01", None)], False),
]


def load():
    call_command("loaddata", "federation", verbosity=0)
    access.sync_groups()
    User = get_user_model()
    for username, first, last, groups, roles, staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org", "is_staff": staff},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.set(Group.objects.filter(name__in=groups))
        for role_name, valid_from, valid_to in roles:
            RoleAssignment.objects.get_or_create(
                user=user,
                role=Role.objects.get(name=role_name),
                valid_from=datetime.date.fromisoformat(valid_from),
                defaults={"valid_to": datetime.date.fromisoformat(valid_to) if valid_to else None},
            )
    current_year()


def current_year():
    """The demo's living year: the year of today (``federation.dates.today``) as a fiscal year with the
    follow-ups of the latest year before it, when today lies after the demo's real years (2019, 2020)."""
    latest = FiscalYear.objects.order_by("-year").first()
    year = dates.today().year
    if latest is None or year <= REAL_YEARS[-1]:
        return None
    like = FiscalYear.objects.filter(year__lt=year).order_by("-year").first()
    return services.fiscal_year_create(year=year, like=like)


def logins():
    """The demo logins printed by ``make run``."""
    return [
        (username, ", ".join(groups), ", ".join(r[0] for r in roles)) for username, _, _, groups, roles, _ in DEMO_USERS
    ]
