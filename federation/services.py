"""Writes of the organisation: roles, fiscal years, and a new organisation set up from the template."""

import datetime
import re
import secrets

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import (
    Decision,
    DecisionBody,
    Federation,
    FiscalYear,
    FollowUp,
    ImportLayout,
    Municipality,
    Role,
    RoleAssignment,
    Unit,
)

# The usual follow-ups of a calendar year: delår to 31 August, reported by 30 September; helår reported by
# 15 February the year after (as in the first customer's reports; changed per year in the admin).
INTERIM_END = (8, 31)
INTERIM_DUE = (9, 30)
ANNUAL_DUE = (2, 15)


def role_create(*, name: str, description: str = "") -> Role:
    """A new role without holders (a role without a holder is reported by the reminder sweep)."""
    role = Role(name=name.strip(), description=description)
    role.full_clean()
    role.save()
    return role


@transaction.atomic
def fiscal_year_get_or_create(*, year: int) -> tuple[FiscalYear, bool]:
    """The fiscal year ``year``; a new one is a calendar year with its delår and helår follow-ups."""
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is not None:
        return fiscal_year, False
    fiscal_year = FiscalYear.calendar(year)
    fiscal_year.full_clean()
    fiscal_year.save()
    for kind, period_end, due in (
        (FollowUp.Kind.INTERIM, datetime.date(year, *INTERIM_END), datetime.date(year, *INTERIM_DUE)),
        (FollowUp.Kind.ANNUAL, datetime.date(year, 12, 31), datetime.date(year + 1, *ANNUAL_DUE)),
    ):
        follow_up = FollowUp(fiscal_year=fiscal_year, kind=kind, period_end=period_end, due_date=due)
        follow_up.full_clean()
        follow_up.save()
    return fiscal_year, True


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def federation_update_or_create(*, name: str, short_name: str, organisation_number: str = "", founded=None):
    """The organisation itself (there is one): found by its name, else the only one there is, else new."""
    federation = Federation.objects.filter(name=name).first() or Federation.objects.first() or Federation()
    federation.name, federation.short_name = name, short_name or name
    federation.organisation_number, federation.founded = organisation_number, founded
    return _saved(federation)


def municipality_update_or_create(*, federation, code: str, name: str, membership: str, member_from, member_to=None):
    if not re.fullmatch(r"[0-9]{4}", code):
        raise ValidationError(_("Kommunkoden ska vara fyra siffror, t.ex. 1490 (inte ”%(code)s”).") % {"code": code})
    municipality = Municipality.objects.filter(code=code).first() or Municipality(code=code)
    municipality.federation, municipality.name, municipality.membership = federation, name, membership
    municipality.member_from, municipality.member_to = member_from, member_to
    return _saved(municipality)


def role_update_or_create(*, name: str, description: str = "", is_director: bool = False) -> Role:
    role = Role.objects.filter(name__iexact=name).first()
    if role is None:
        role = role_create(name=name, description=description)
    other = Role.objects.filter(is_director=True).exclude(pk=role.pk).first() if is_director else None
    if other is not None:
        raise ValidationError(
            _("Bara en roll kan vara förbundsdirektör; %(name)s är det redan.") % {"name": other.name}
        )
    role.description = description or role.description
    role.is_director = is_director
    return _saved(role)


def unit_update_or_create(*, federation, name: str, short_name="", kind=Unit.Kind.UNIT, parent=None, lead_role=None,
                          order=0) -> Unit:  # fmt: skip
    unit = Unit.objects.filter(name__iexact=name).first() or Unit(name=name)
    unit.federation, unit.short_name, unit.kind, unit.parent = federation, short_name, kind, parent
    unit.lead_role, unit.order = lead_role, order
    return _saved(unit)


def person_update_or_create(*, username: str, first_name="", last_name="", email="", groups=(), staff=False):
    """A person who logs in; a new one gets a generated start password, returned (else None) to hand over."""
    User = get_user_model()
    user = User.objects.filter(username__iexact=username).first()
    password = None
    if user is None:
        user = User(username=username)
        password = secrets.token_urlsafe(9)
        user.set_password(password)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_staff = user.is_staff or staff
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user, password


def role_assign(*, user, role, valid_from: datetime.date, valid_to: datetime.date | None = None) -> RoleAssignment:
    """``user`` holds ``role`` from ``valid_from``; nothing new when they already hold it then."""
    current = RoleAssignment.objects.overlapping(user=user, role=role, valid_from=valid_from, valid_to=valid_to)
    return current.first() or _saved(RoleAssignment(user=user, role=role, valid_from=valid_from, valid_to=valid_to))


@transaction.atomic
def fiscal_year_create(*, year: int, like: FiscalYear | None = None) -> FiscalYear:
    """The calendar fiscal year ``year``; its follow-ups (delår, helår) at the same points as ``like``'s,
    moved to ``year``. Returns the year as it is when it already exists."""
    existing = FiscalYear.objects.filter(year=year).first()
    if existing is not None:
        return existing
    fiscal_year = FiscalYear.calendar(year)
    fiscal_year.full_clean()
    fiscal_year.save()
    if like is not None:
        shift = relativedelta(years=year - like.year)
        for follow_up in like.follow_ups.all():
            copy = FollowUp(
                fiscal_year=fiscal_year,
                kind=follow_up.kind,
                period_end=follow_up.period_end + shift,
                due_date=follow_up.due_date + shift,
            )
            copy.full_clean()
            copy.save()
    return fiscal_year


@transaction.atomic
def import_layout_remember(*, kind: str, headers: list[str], mapping: dict) -> ImportLayout:
    """Remember ``mapping`` for files of ``kind`` with these headers."""
    layout, _created = ImportLayout.objects.update_or_create(
        kind=kind,
        signature=ImportLayout.signature_of(headers),
        defaults={"headers": [h for h in headers if str(h).strip()], "mapping": mapping},
    )
    return layout


@transaction.atomic
def decision_register(
    *,
    body: DecisionBody,
    date: datetime.date,
    subject: str,
    kind: str,
    paragraph: str = "",
    reference: str = "",
) -> Decision:
    """Record a decision of a body (e.g. the Direktion's decision adopting a plan), validated first."""
    decision = Decision(
        body=body,
        date=date,
        subject=subject.strip(),
        kind=kind,
        paragraph=paragraph.strip(),
        reference=reference.strip(),
    )
    decision.full_clean()
    decision.save()
    return decision
