"""Scaled data for the benchmark: the organisation ``factor`` times over, ten years.

``manage.py generate_scaled_data`` calls this ``generate``, then internalcontrol's and goals' (see
SCALED_GENERATORS in the command). Deterministic from the seed; written with
bulk_create, so factor 10 takes seconds."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from federation.models import Federation, FiscalYear, FollowUp, Role, RoleAssignment, Unit

YEARS = range(2011, 2021)  # ten years, ending with the demo's 2020


def generate(*, factor: int, rng: random.Random, context: dict) -> dict:
    """Units with lead roles and holders, extra role holders, fiscal years with follow-ups."""
    federation = Federation.objects.get()
    User = get_user_model()
    password = make_password("demo")

    for year in YEARS:
        fiscal_year, _ = FiscalYear.objects.get_or_create(
            year=year, defaults={"start": datetime.date(year, 1, 1), "end": datetime.date(year, 12, 31)}
        )
        FollowUp.objects.get_or_create(
            fiscal_year=fiscal_year,
            kind=FollowUp.Kind.INTERIM,
            defaults={"period_end": datetime.date(year, 8, 31), "due_date": datetime.date(year, 9, 30)},
        )
        FollowUp.objects.get_or_create(
            fiscal_year=fiscal_year,
            kind=FollowUp.Kind.ANNUAL,
            defaults={"period_end": datetime.date(year, 12, 31), "due_date": datetime.date(year + 1, 2, 15)},
        )

    base_units = list(Unit.objects.filter(kind=Unit.Kind.UNIT).order_by("pk"))
    roles = Role.objects.bulk_create(
        [Role(name=f"Ledare {unit.name} {copy}") for copy in range(1, factor) for unit in base_units]
    )
    role_iter = iter(roles)
    units = Unit.objects.bulk_create(
        [
            Unit(
                federation=federation,
                name=f"{unit.name} {copy}",
                short_name=f"{unit.short_name or unit.name[:40]} {copy}",
                kind=unit.kind,
                parent=unit.parent,
                lead_role=next(role_iter),
                order=unit.order + copy * 100,
            )
            for copy in range(1, factor)
            for unit in base_units
        ]
    )
    users = User.objects.bulk_create(
        [
            User(username=f"skala{i:05d}", first_name="Skala", last_name=f"Användare {i}", password=password)
            for i in range(len(roles) * 2)
        ]
    )
    assignments = []
    for index, role in enumerate(roles):
        # Two holders over time: one who left, one who holds it now.
        assignments.append(
            RoleAssignment(
                user=users[2 * index],
                role=role,
                valid_from=datetime.date(2011, 1, 1),
                valid_to=datetime.date(2015, 12, 31),
            )
        )
        assignments.append(RoleAssignment(user=users[2 * index + 1], role=role, valid_from=datetime.date(2016, 1, 1)))
    RoleAssignment.objects.bulk_create(assignments)
    context["units"] = base_units + units
    context["users"] = users
    return {"enheter": len(units), "roller": len(roles), "användare": len(users), "år": len(YEARS)}
