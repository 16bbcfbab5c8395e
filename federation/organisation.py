"""A new organisation from one workbook, without the demo: ``manage.py setup_organisation`` and the admin.

The template (``template_bytes``, downloadable from the admin) has an instruction sheet and the sheets
Organisation, Medlemskommuner, Verksamheter, Roller and Personer, each with a header row and example rows.
``organisation_setup`` reads them (federation/sheets.py: the header row may sit below a title, columns
in any order), checks every row and writes through federation/services.py — all or nothing. Running it
again updates by name (kommunkod, användarnamn) and adds what is new; it never removes anything."""

import datetime
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access, services
from .models import Municipality, Role, Unit
from .sheets import Unsaved, find_header, normalise_header, read_sheets

# sheet → (required fields, {field: [headers]}); the first header of each field is the template's.
SHEETS = {
    "Organisation": (
        ("name",),
        {
            "name": ["Namn", "Organisationens namn", "Förbundets namn"],
            "short_name": ["Kortnamn", "Kort namn"],
            "organisation_number": ["Organisationsnummer", "Orgnr", "Org.nr"],
            "founded": ["Bildat år", "Bildat", "Startår"],
            "first_year": ["Första verksamhetsår", "Verksamhetsår", "År"],
        },
    ),
    "Medlemskommuner": (
        ("name", "code"),
        {
            "name": ["Kommun", "Namn", "Medlemskommun"],
            "code": ["Kommunkod", "Kod"],
            "membership": ["Medlemskap", "Typ"],
            "member_from": ["Medlem från", "Från", "Från och med"],
            "member_to": ["Medlem till", "Till", "Till och med"],
        },
    ),
    "Verksamheter": (
        ("name",),
        {
            "name": ["Verksamhet", "Namn", "Enhet"],
            "short_name": ["Kortnamn", "Kort namn"],
            "kind": ["Typ"],
            "parent": ["Ligger under", "Överordnad", "Tillhör"],
            "lead_role": ["Ledande roll", "Chef (roll)", "Ansvarig roll"],
        },
    ),
    "Roller": (
        ("name",),
        {
            "name": ["Roll", "Namn", "Funktion"],
            "description": ["Beskrivning"],
            "is_director": ["Förbundsdirektör", "Är förbundsdirektör", "Högsta chef"],
        },
    ),
    "Personer": (
        ("username",),
        {
            "username": ["Användarnamn", "Användare", "Inloggning"],
            "first_name": ["Förnamn"],
            "last_name": ["Efternamn"],
            "email": ["E-post", "Epost", "Mejl", "E-postadress"],
            "roles": ["Roller", "Roll"],
            "valid_from": ["Från och med", "Från", "Roll från"],
            "groups": ["Behörighet", "Behörigheter"],
        },
    ),
}
REQUIRED_SHEETS = ("Organisation", "Personer")
YES = {"ja", "j", "x", "1", "sant", "true", "yes"}
KINDS = {str(label).casefold(): value for value, label in Unit.Kind.choices} | {"kansliet": Unit.Kind.OFFICE}
MEMBERSHIPS = {str(label).casefold(): value for value, label in Municipality.Membership.choices}
GROUPS = {name.casefold(): name for name in access.GROUP_PERMISSIONS}
STAFF_GROUPS = {access.DIRECTOR, access.ADMIN_CHIEF}

TEMPLATE_EXAMPLES = {
    "Organisation": [["Exempelregionens kommunalförbund", "Exempelregionen", "222000-0000", 2001, 2027]],
    "Medlemskommuner": [
        ["Norrby", "9901", "Medlem", "2001-01-01", ""],
        ["Söderås", "9902", "Adjungerad", "2015-01-01", ""],
    ],
    "Verksamheter": [
        ["Förbundskansliet", "Kansliet", "Kansli", "", "Förbundsdirektör"],
        ["Ekonomi", "", "Område inom kansliet", "Förbundskansliet", "Ekonomichef"],
        ["Utbildningscentrum", "UC", "Verksamhet", "", "Verksamhetschef UC"],
    ],
    "Roller": [
        ["Förbundsdirektör", "Leder förbundet", "ja"],
        ["Ekonomichef", "Kontrollansvarig för ekonomi", "nej"],
        ["Verksamhetschef UC", "Leder Utbildningscentrum", "nej"],
        ["Controller", "Kontrollansvarig", "nej"],
    ],
    "Personer": [
        ["adirektor", "Anna", "Direktör", "anna@example.org", "Förbundsdirektör", "2027-01-01", ""],
        ["bekonom", "Bo", "Ekonom", "bo@example.org", "Ekonomichef, Controller", "2027-01-01", "Administrativ chef"],
        ["cchef", "Cecilia", "Chef", "cecilia@example.org", "Verksamhetschef UC", "2027-01-01", ""],
        ["drevisor", "David", "Revisor", "david@example.org", "", "2027-01-01", "Läsbehörighet"],
    ],
}
INSTRUCTIONS = [
    "Så fyller du i mallen",
    "",
    "1. Fyll i ett blad i taget och skriv över exempelraderna. Rubrikraden ska stå kvar (kolumnernas ordning spelar "
    "ingen roll).",
    "2. Organisation: en rad med förbundets namn. Första verksamhetsår skapas med delår (t.o.m. 31 augusti) och helår.",
    "3. Medlemskommuner: kommunkod med fyra siffror, Medlem eller Adjungerad, datum som ÅÅÅÅ-MM-DD.",
    "4. Verksamheter: Typ är Kansli, Område inom kansliet eller Verksamhet. Ligger under = en annan verksamhet i "
    "bladet. Ledande roll = rollen vars innehavare rapporterar verksamhetens mål.",
    "5. Roller: funktioner, inte personer (t.ex. Ekonomichef). Skriv ja i Förbundsdirektör för högst en roll.",
    "6. Personer: användarnamn för inloggning; Roller skrivs med kommatecken emellan och måste finnas i bladet "
    "Roller. Behörighet kan lämnas tom: den följer då rollerna (förbundsdirektör, verksamhetsledare, "
    "kontrollansvarig eller läsbehörighet). Andra värden: " + ", ".join(access.GROUP_PERMISSIONS) + ".",
    "7. Läs in med Provkörning först (admin) eller manage.py setup_organisation FIL.xlsx --dry-run. Allt eller inget: "
    "ett fel och ingenting sparas. Nya personer får ett startlösenord som visas en gång; be dem byta det.",
    "8. Sedan: internkontrollplanen (Importera internkontrollplan) och målen (Importera mål).",
]


@dataclass
class SetupResult:
    errors: list[str]
    dry_run: bool
    counts: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    passwords: list[tuple[str, str]] = field(default_factory=list)  # (username, start password) of new people

    @property
    def ok(self):
        return not self.errors

    def summary(self) -> str:
        c = self.counts
        return _(
            "%(municipalities)s medlemskommuner, %(units)s verksamheter, %(roles)s roller och %(people)s personer"
        ) % {k: c.get(k, 0) for k in ("municipalities", "units", "roles", "people")}


def _synonyms(fields: dict) -> dict:
    return {normalise_header(header): key for key, headers in fields.items() for header in headers}


def template_bytes() -> bytes:
    """The workbook to fill in: an instruction sheet, then each sheet with its header and example rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Instruktion"
    for line in INSTRUCTIONS:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 120
    for name, (_required, fields) in SHEETS.items():
        sheet = workbook.create_sheet(name)
        sheet.append([headers[0] for headers in fields.values()])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = 28
        for row in TEMPLATE_EXAMPLES[name]:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(sheets, errors, notes) -> dict[str, list[tuple[int, dict]]]:
    """Each sheet's rows as (row number, {field: text}); errors for a missing required sheet or header."""
    by_name = {normalise_header(sheet.name): sheet for sheet in sheets}
    result = {}
    for name, (required, fields) in SHEETS.items():
        sheet = by_name.get(normalise_header(name))
        if sheet is None:
            (errors if name in REQUIRED_SHEETS else notes).append(
                _("Bladet ”%(name)s” saknas i filen.") % {"name": name}
            )
            result[name] = []
            continue
        found, near = find_header([sheet], synonyms=_synonyms(fields), required=required)
        if not found:
            wanted = ", ".join(f"”{fields[key][0]}”" for key in required)
            errors.append(
                _("Bladet ”%(name)s”: hittar ingen rubrikrad med %(wanted)s.") % {"name": name, "wanted": wanted}
            )
            result[name] = []
            continue
        header = found[0]
        notes += [
            _("Bladet ”%(sheet)s”: kolumnen ”%(col)s” läses inte in.") % {"sheet": name, "col": col}
            for col in header.ignored
        ]
        rows = []
        for offset, row in enumerate(sheet.rows[header.index + 1 :]):
            number = header.index + 2 + offset
            values = {key: header.cell(row, key) for key in header.columns}
            unsaved = [header.labels[k] for k, v in values.items() if isinstance(v, Unsaved)]
            if unsaved:
                errors.append(
                    _("%(sheet)s rad %(row)s: %(cols)s innehåller en formel utan sparat värde.")
                    % {"sheet": name, "row": number, "cols": ", ".join(unsaved)}
                )
                continue
            values = {key: str(value).strip() for key, value in values.items()}
            if any(values.values()):
                rows.append((number, values))
        result[name] = rows
    return result


def _date(text, *, label):
    try:
        return datetime.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        raise ValidationError(
            _("%(label)s: ”%(text)s” är inget datum (skriv ÅÅÅÅ-MM-DD).") % {"label": label, "text": text}
        ) from None


def _year(text, *, label):
    try:
        return int(text) if text else None
    except ValueError:
        raise ValidationError(_("%(label)s: ”%(text)s” är inget årtal.") % {"label": label, "text": text}) from None


class _Writer:
    def __init__(self, errors):
        self.errors = errors

    def row(self, sheet, number, write):
        """Run ``write()``; a ValidationError becomes "<sheet> rad <n>: <message>" (nothing half-written:
        every service validates before it saves)."""
        try:
            return write()
        except ValidationError as error:
            self.errors += [
                _("%(sheet)s rad %(row)s: %(error)s") % {"sheet": sheet, "row": number, "error": m}
                for m in error.messages
            ]
            return None


def organisation_setup(*, path, content: bytes | None = None, dry_run: bool = False) -> SetupResult:
    """Set up (or add to) the organisation from the template's sheets. All or nothing."""
    errors, notes = [], []
    rows = _rows(read_sheets(path, content), errors, notes)
    if errors:
        return SetupResult(errors=errors, dry_run=dry_run, notes=notes)
    result = SetupResult(errors=errors, dry_run=dry_run, notes=notes)
    write = _Writer(errors).row
    with transaction.atomic():
        access.sync_groups()
        federation = _federation(rows["Organisation"], write, errors, notes)
        roles = _roles(rows["Roller"], write)
        if federation is not None:
            _municipalities(rows["Medlemskommuner"], federation, write, result)
            _units(rows["Verksamheter"], federation, roles, write, result)
        _people(rows["Personer"], roles, write, result)
        result.counts["roles"] = len(rows["Roller"])
        if errors or dry_run:
            transaction.set_rollback(True)
            result.passwords = []
    return result


def _federation(rows, write, errors, notes):
    if len(rows) != 1:
        errors.append(_("Bladet ”Organisation” ska ha exakt en rad under rubrikraden."))
        return None
    number, values = rows[0]

    def save():
        founded = _year(values.get("founded", ""), label=_("Bildat år"))
        first_year = _year(values.get("first_year", ""), label=_("Första verksamhetsår"))
        federation = services.federation_update_or_create(
            name=values["name"],
            short_name=values.get("short_name", ""),
            organisation_number=values.get("organisation_number", ""),
            founded=founded,
        )
        if first_year:
            _fiscal_year, created = services.fiscal_year_get_or_create(year=first_year)
            if created:
                notes.append(_("Skapar verksamhetsår %(year)s med delår och helår.") % {"year": first_year})
        return federation

    return write("Organisation", number, save)


def _roles(rows, write) -> dict[str, Role]:
    roles = {role.name.casefold(): role for role in Role.objects.all()}
    for number, values in rows:
        role = write(
            "Roller",
            number,
            lambda values=values: services.role_update_or_create(
                name=values["name"],
                description=values.get("description", ""),
                is_director=values.get("is_director", "").casefold() in YES,
            ),
        )
        if role is not None:
            roles[role.name.casefold()] = role
    return roles


def _municipalities(rows, federation, write, result):
    for number, values in rows:

        def save(values=values):
            membership_text = values.get("membership", "") or str(Municipality.Membership.MEMBER.label)
            membership = MEMBERSHIPS.get(membership_text.casefold())
            if membership is None:
                raise ValidationError(
                    _("Medlemskap: ”%(text)s” känns inte igen (skriv Medlem eller Adjungerad).")
                    % {"text": membership_text}
                )
            member_from = _date(values.get("member_from", ""), label=_("Medlem från"))
            if member_from is None:
                raise ValidationError(_("Medlem från saknas (skriv ÅÅÅÅ-MM-DD)."))
            return services.municipality_update_or_create(
                federation=federation,
                code=values["code"],
                name=values["name"],
                membership=membership,
                member_from=member_from,
                member_to=_date(values.get("member_to", ""), label=_("Medlem till")),
            )

        write("Medlemskommuner", number, save)
    result.counts["municipalities"] = len(rows)


def _role_named(roles, name):
    role = roles.get(name.casefold())
    if role is None:
        raise ValidationError(_("Okänd roll: %(name)s (lägg till den i bladet Roller).") % {"name": name})
    return role


def _units(rows, federation, roles, write, result):
    units = {}
    for order, (number, values) in enumerate(rows, start=1):

        def save(values=values, order=order):
            kind_text = values.get("kind", "")
            kind = KINDS.get(kind_text.casefold(), None) if kind_text else Unit.Kind.UNIT
            if kind is None:
                raise ValidationError(
                    _("Typ: ”%(text)s” känns inte igen (skriv Kansli, Område inom kansliet eller Verksamhet).")
                    % {"text": kind_text}
                )
            lead = _role_named(roles, values["lead_role"]) if values.get("lead_role") else None
            return services.unit_update_or_create(
                federation=federation,
                name=values["name"],
                short_name=values.get("short_name", ""),
                kind=kind,
                lead_role=lead,
                order=order,
            )

        unit = write("Verksamheter", number, save)
        if unit is not None:
            units[unit.name.casefold()] = unit
    for number, values in rows:  # parents once every unit exists, so order in the sheet does not matter
        unit = units.get(values["name"].casefold())
        if unit is None or not values.get("parent"):
            continue

        def set_parent(unit=unit, values=values):
            parent = (
                units.get(values["parent"].casefold()) or Unit.objects.filter(name__iexact=values["parent"]).first()
            )
            if parent is None:
                raise ValidationError(_("Okänd överordnad verksamhet: %(name)s.") % {"name": values["parent"]})
            unit.parent = parent
            unit.full_clean()
            unit.save()

        write("Verksamheter", number, set_parent)
    result.counts["units"] = len(rows)


def _groups_for(roles_held, explicit: str) -> list[str]:
    """The access groups: as written in Behörighet, else following the roles."""
    if explicit:
        names = [name.strip() for name in explicit.split(",") if name.strip()]
        unknown = [name for name in names if name.casefold() not in GROUPS]
        if unknown:
            raise ValidationError(
                _("Okänd behörighet: %(names)s (välj bland %(known)s).")
                % {"names": ", ".join(unknown), "known": ", ".join(access.GROUP_PERMISSIONS)}
            )
        return [GROUPS[name.casefold()] for name in names]
    if any(role.is_director for role in roles_held):
        return [access.DIRECTOR]
    groups = []
    if any(role.led_units.exists() for role in roles_held):
        groups.append(access.UNIT_LEAD)
    if any(not role.led_units.exists() for role in roles_held):
        groups.append(access.ROLE_HOLDER)
    return groups or [access.READ_ONLY]


def _people(rows, roles, write, result):
    seen = set()
    for number, values in rows:

        def save(values=values):
            username = values["username"]
            if username.casefold() in seen:
                raise ValidationError(_("Användarnamnet %(name)s finns redan på en rad ovanför.") % {"name": username})
            seen.add(username.casefold())
            held = [_role_named(roles, name.strip()) for name in values.get("roles", "").split(",") if name.strip()]
            groups = _groups_for(held, values.get("groups", ""))
            valid_from = _date(values.get("valid_from", ""), label=_("Från och med")) or timezone.localdate()
            user, password = services.person_update_or_create(
                username=username,
                first_name=values.get("first_name", ""),
                last_name=values.get("last_name", ""),
                email=values.get("email", ""),
                groups=groups,
                staff=bool(STAFF_GROUPS & set(groups)),
            )
            for role in held:
                services.role_assign(user=user, role=role, valid_from=valid_from)
            if password:
                result.passwords.append((user.username, password))

        write("Personer", number, save)
    result.counts["people"] = len(rows)
    if not get_user_model().objects.exists():
        result.errors.append(_("Bladet ”Personer” har ingen person; någon måste kunna logga in."))
