"""Writes of the organisation that other apps' imports need."""

from django.db import transaction

from .models import ImportLayout, Role


def role_create(*, name: str, description: str = "") -> Role:
    """A new role without holders (a role without a holder is reported by the reminder sweep)."""
    role = Role(name=name.strip(), description=description)
    role.full_clean()
    role.save()
    return role


@transaction.atomic
def import_layout_remember(*, kind: str, headers: list[str], mapping: dict) -> ImportLayout:
    """Remember ``mapping`` for files of ``kind`` with these headers."""
    layout, _created = ImportLayout.objects.update_or_create(
        kind=kind,
        signature=ImportLayout.signature_of(headers),
        defaults={"headers": [h for h in headers if str(h).strip()], "mapping": mapping},
    )
    return layout
