"""What the apps contribute to federation's shared machinery, registered the way models register with the admin.

federation knows nothing of the apps built on it. Each app calls these functions in its
``AppConfig.ready()``; the reminder sweep, the year-end report, the översikt, the year export and
``load_demo`` read what was registered::

    register_reminder_provider(check_items)
    register_report_sections(build_sections)
    register_summary(ReportSummary(order=10, lines=summary_lines))
    register_overview_panel(OverviewPanel(order=10, template_name="…", context=overview_context))
    register_year_export(Check, "control_point__area__plan__fiscal_year__year")
    register_demo_loader(load, order=30)

The contracts, each with one signature (no inspection, keyword arguments only):

- a reminder provider: ``provider(*, today, settings, director_role_id) -> Iterable[ReminderItem]``
  (``settings`` a ``ReminderSettings``; ``director_role_id`` the förbundsdirektör's role or None);
- a report section builder: ``builder(*, fiscal_year, units, follow_up, changes) -> list[Section]``
  (``units`` None for every unit, else the chosen ``Unit`` objects; ``follow_up`` the ``FollowUp`` reported
  on — delår or helår — or None when the year has none; ``changes`` True to add what changed since the
  previous follow-up, ``FollowUp.objects.previous(follow_up)``);
- a report summary: a ``ReportSummary`` whose ``lines(*, fiscal_year, follow_up) -> list[SummaryLine]`` gives
  the computed sentences of the report's first section, "Sammanfattning";
- an översikt panel: an ``OverviewPanel`` whose ``context(*, fiscal_year, on, user) -> dict`` gives the
  variables of its template;
- a year-export model: the model and the lookup from it to the year number (None: every row);
- a demo loader: ``load()``, idempotent, run in ``order`` (lower first);
- a menu item: a ``MenuItem`` whose ``visible(viewer)`` (a ``federation.navigation.Viewer``) says whether
  the user may open it, by the same rule the page applies;
- a role fact: a ``RoleFact`` whose ``condition()`` is an ``Exists`` over ``OuterRef("pk")`` of a ``Role``
  (e.g. "is kontrollansvarig for some kontrollmoment"), read with the viewer's roles in the same query.

Registering the same thing twice is an error, as is unregistering what is not registered (tests
register fakes and unregister them afterwards)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    import datetime

    from django.db import models

    from .models import FiscalYear, FollowUp, ReminderSettings, Unit
    from .reminders import ReminderItem
    from .reports.document import Section


class ReminderProvider(Protocol):
    def __call__(
        self, *, today: datetime.date, settings: ReminderSettings, director_role_id: int | None
    ) -> Iterable[ReminderItem]: ...


class SectionBuilder(Protocol):
    def __call__(
        self, *, fiscal_year: FiscalYear, units: list[Unit] | None, follow_up: FollowUp | None, changes: bool
    ) -> list[Section]: ...


@dataclass(frozen=True)
class SummaryLine:
    """One computed sentence of the Sammanfattning, e.g. topic "Intern kontroll", text "33 av 35 genomförda
    kontroller utan anmärkning, 2 med anmärkning", ``tone`` its colour (``federation.status.Tone``, always
    shown beside the words)."""

    topic: str
    text: str
    tone: str | None = None
    status: str = ""  # the word of the colour ("Delvis uppfyllt"); the tone's general word when empty


@dataclass(frozen=True)
class ReportSummary:
    """What an app says in the report's Sammanfattning: ``lines(fiscal_year=…, follow_up=…)``, shown by
    ``order``."""

    order: int
    lines: Callable[..., list[SummaryLine]]


@dataclass(frozen=True)
class OverviewPanel:
    """Part of the översikt: ``template_name`` rendered with the frame's variables (``fiscal_year``, ``on``)
    and those ``context(fiscal_year=…, on=…, user=…)`` returns. Panels are shown by ``order``."""

    order: int
    template_name: str
    context: Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class YearExport:
    model: type[models.Model]
    year_lookup: str | None


@dataclass(frozen=True)
class MenuItem:
    """An entry of the main menu, shown by ``order`` to those ``visible(viewer)`` lets open it. It is current on
    its own page and those named in ``current_for``; ``section`` (an URL namespace) marks it current on that
    app's other pages (those no entry claims). An item with
    a ``landing`` order is someone's work: after login a user lands on the first (lowest ``landing``) item that
    ``lands(viewer)`` (default ``visible``) allows."""

    order: int
    label: str
    url_name: str
    visible: Callable[[Any], bool]
    section: str = ""
    current_for: tuple[str, ...] = ()
    landing: int | None = None
    lands: Callable[[Any], bool] | None = None

    def is_landing_for(self, viewer) -> bool:
        return self.landing is not None and (self.lands or self.visible)(viewer)


@dataclass(frozen=True)
class RoleFact:
    name: str
    condition: Callable[[], Any]


@dataclass(frozen=True)
class DemoLoader:
    load: Callable[[], Any]
    order: int


class Contributions:
    """What was registered of one kind, in registration order."""

    def __init__(self, kind: str, identity: Callable[[Any], Any] = lambda item: item):
        self.kind = kind
        self._identity = identity
        self._items: list = []

    def add(self, item):
        if any(self._identity(existing) == self._identity(item) for existing in self._items):
            raise ImproperlyConfigured(f"{item!r} is already registered ({self.kind}).")
        self._items.append(item)
        return item

    def remove(self, item):
        for index, existing in enumerate(self._items):
            if self._identity(existing) == self._identity(item):
                del self._items[index]
                return
        raise ImproperlyConfigured(f"{item!r} is not registered ({self.kind}).")

    def __iter__(self):
        return iter(list(self._items))


_reminder_providers = Contributions("reminder provider")
_section_builders = Contributions("report section builder")
_report_summaries = Contributions("report summary", identity=lambda summary: summary.lines)
_overview_panels = Contributions("översikt panel")
_year_exports = Contributions("year-export model", identity=lambda export: export.model)
_demo_loaders = Contributions("demo loader", identity=lambda loader: loader.load)
_menu_items = Contributions("menu item", identity=lambda item: item.url_name)
_role_facts = Contributions("role fact", identity=lambda fact: fact.name)


# --- Reminders (federation.reminders) --------------------------------------------------


def register_reminder_provider(provider: ReminderProvider) -> ReminderProvider:
    return _reminder_providers.add(provider)


def unregister_reminder_provider(provider: ReminderProvider) -> None:
    _reminder_providers.remove(provider)


def reminder_providers() -> list[ReminderProvider]:
    return list(_reminder_providers)


# --- Year-end report (federation.reports) -----------------------------------------------


def register_report_sections(builder: SectionBuilder) -> SectionBuilder:
    return _section_builders.add(builder)


def unregister_report_sections(builder: SectionBuilder) -> None:
    _section_builders.remove(builder)


def report_section_builders() -> list[SectionBuilder]:
    """In registration order; the report builder puts the sections in the order of the annual report."""
    return list(_section_builders)


def register_summary(summary: ReportSummary) -> ReportSummary:
    return _report_summaries.add(summary)


def unregister_summary(summary: ReportSummary) -> None:
    _report_summaries.remove(summary)


def report_summaries() -> list[ReportSummary]:
    """By ``order``; summaries of equal order in registration order."""
    return sorted(_report_summaries, key=lambda summary: summary.order)


# --- Översikt (federation.overview) -----------------------------------------------------


def register_overview_panel(panel: OverviewPanel) -> OverviewPanel:
    return _overview_panels.add(panel)


def unregister_overview_panel(panel: OverviewPanel) -> None:
    _overview_panels.remove(panel)


def overview_panels() -> list[OverviewPanel]:
    """By ``order``; panels of equal order in registration order."""
    return sorted(_overview_panels, key=lambda panel: panel.order)


# --- Year export (federation.year_export) ------------------------------------------------


def register_year_export(model: type[models.Model], year_lookup: str | None) -> None:
    _year_exports.add(YearExport(model, year_lookup))


def unregister_year_export(model: type[models.Model]) -> None:
    _year_exports.remove(YearExport(model, None))


def year_exports() -> list[YearExport]:
    """In registration order (the workbook's sheet order)."""
    return list(_year_exports)


# --- Demo data (load_demo) ---------------------------------------------------------------


def register_demo_loader(load: Callable[[], Any], *, order: int) -> None:
    _demo_loaders.add(DemoLoader(load, order))


def unregister_demo_loader(load: Callable[[], Any]) -> None:
    _demo_loaders.remove(DemoLoader(load, 0))


def demo_loaders() -> list[Callable[[], Any]]:
    """By ``order`` (dependencies first)."""
    return [loader.load for loader in sorted(_demo_loaders, key=lambda loader: loader.order)]


# --- The main menu (federation.navigation) ---------------------------------------------------


def register_menu_item(item: MenuItem) -> MenuItem:
    return _menu_items.add(item)


def unregister_menu_item(item: MenuItem) -> None:
    _menu_items.remove(item)


def menu_items() -> list[MenuItem]:
    """By ``order``; items of equal order in registration order."""
    return sorted(_menu_items, key=lambda item: item.order)


def register_role_fact(fact: RoleFact) -> RoleFact:
    return _role_facts.add(fact)


def unregister_role_fact(fact: RoleFact) -> None:
    _role_facts.remove(fact)


def role_facts() -> list[RoleFact]:
    return list(_role_facts)
