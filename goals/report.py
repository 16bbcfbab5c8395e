"""Section builders for the year-end report: "4 Måluppfyllelse" and one section per
unit with its own plan (Dataskyddsombud, Medarbetarcentrum, Navet …).

Returns ``federation.reports.document`` objects only; the renderers decide the format.
Statuses become colours through ``Status.tone`` (goals.models), nowhere else."""

from collections import defaultdict

from django.utils.translation import gettext as _

from federation.models import FiscalYear, FollowUp, Unit
from federation.reports.document import Cell, Paragraph, Section, Table

from .models import Assessment, DimensionKind, OverallGoal, Status, format_number, status_tone
from .selectors import goal_tree, latest_follow_up
from .services import year_summary_sentence
from .suggest import status_suggest


def _paragraphs(text):
    return [Paragraph(part.strip()) for part in (text or "").split("\n\n") if part.strip()]


def _status_cell(assessment, text=None):
    """The assessment's colour with its word ("Delvis uppfyllt"), beside ``text`` when given."""
    word = assessment.get_status_display() if assessment is not None else _("Ej bedömd")
    tone = status_tone(assessment.status if assessment is not None else "")
    return Cell(text or word, tone=tone, status=word)


def _indicator_line(indicator, follow_up):
    parts = [f"{_('Mätetal')}: {indicator.name}"]
    if indicator.target_display:
        parts.append(f"{_('målvärde')} {indicator.target_display}")
    if indicator.dimension:
        return " – ".join(parts)
    outcomes = [o for o in indicator.outcome_list if o.follow_up_id == follow_up.pk]
    if outcomes:
        parts.append(f"{_('utfall')} {outcomes[0].display}")
    return " – ".join(parts)


def _units_label(strategy):
    return ", ".join(unit.short_name or unit.name for unit in strategy.units.all())


def _dimension_table(indicator):
    """A mätetal broken down per kommun or delregion: one row per member, columns per period."""
    periods = sorted({o.follow_up for o in indicator.outcome_list}, key=lambda f: f.period_end, reverse=True)
    members = defaultdict(dict)
    for outcome in indicator.outcome_list:
        members[outcome.dimension_label][outcome.follow_up_id] = outcome
    label = _("Kommun") if indicator.dimension == DimensionKind.MUNICIPALITY else _("Delregion")
    header = [label]
    for period in periods:
        year = period.fiscal_year.year
        if indicator.is_share:
            header += [f"{_('Sökta')} {year}", f"{_('Beviljade')} {year}", f"{_('Andel beviljade')} {year}"]
        else:
            header.append(str(year))
    rows = []
    for member in sorted(members):
        row = [Cell(member)]
        for period in periods:
            outcome = members[member].get(period.pk)
            tone, word = None, ""
            if outcome is not None and indicator.target is not None:
                suggestion = status_suggest(
                    direction=indicator.direction, target=indicator.target, value=outcome.effective_value
                )
                tone = status_tone(suggestion) if suggestion else None
                word = Status(suggestion).label if suggestion else ""
            if indicator.is_share:
                if outcome is None:
                    row += [Cell("–"), Cell("–"), Cell("–")]
                else:
                    row += [
                        Cell(format_number(outcome.denominator)),
                        Cell(format_number(outcome.numerator)),
                        Cell(f"{format_number(outcome.percentage.quantize(1))} %", tone=tone, status=word),
                    ]
            else:
                row.append(Cell(format_number(outcome.effective_value) if outcome else "–", tone=tone, status=word))
        rows.append(row)
    footnotes = []
    if indicator.target_display:
        footnotes.append(f"{_('Målvärde')}: {indicator.target_display}")
    if indicator.is_share:
        footnotes.append(_("Andelen är beräknad ur antal beviljade och sökta."))
    return Table(title=f"{_('Mätetal')}: {indicator.name}", header=header, rows=rows, footnotes=footnotes)


def _goal_section(*, fiscal_year, follow_up, goals):
    section = Section(title=_("4 Måluppfyllelse"), level=1, key="goals")

    overall = OverallGoal.objects.filter(fiscal_year=fiscal_year).first()
    s41 = section.add(Section(title=_("4.1 Måluppfyllelse strategiskt mål"), level=2, key="goals-overall"))
    if overall:
        s41.add(Paragraph(f"{_('Förbundets övergripande strategiska mål är')}: {overall.title}.", style="lead"))
        s41.add(Paragraph(overall.description))
        assessment = Assessment.objects.filter(overall_goal=overall, follow_up=follow_up).first()
        if assessment:
            s41.blocks += _paragraphs(assessment.text)
    s41.add(Paragraph(year_summary_sentence(fiscal_year=fiscal_year, follow_up=follow_up)))

    shared = [goal for goal in goals if goal.unit_id is None]
    s42 = section.add(Section(title=_("4.2 Måluppfyllelse inriktningsmål"), level=2, key="goals-direction"))
    s42.add(
        Table(
            title=_("Inriktningsmål %(year)s") % {"year": fiscal_year.year},
            header=[_("Inriktningsmål"), _("Bedömning")],
            rows=[[Cell(goal.title), _status_cell(goal.latest)] for goal in shared],
            widths=[3, 1],
        )
    )
    for goal in shared:
        sub = s42.add(Section(title=goal.title, level=3))
        sub.add(Paragraph(f"{_('Bedömning')}: {goal.latest.get_status_display() if goal.latest else _('Ej bedömd')}"))
        if goal.latest:
            sub.blocks += _paragraphs(goal.latest.text)

    s43 = section.add(
        Section(
            title=_("4.3 Måluppfyllelse strategier %(year)s") % {"year": fiscal_year.year},
            level=2,
            key="goals-strategies",
        )
    )
    for number, goal in enumerate(shared, start=1):
        sub = s43.add(Section(title=f"4.3.{number} {goal.title}", level=3))
        for strategy in [s for s in goal.strategy_list if s.plan_unit_id is None]:
            lines = [f"• {activity.title}" for activity in strategy.activity_list]
            for activity in strategy.activity_list:
                lines += [f"  {_indicator_line(i, follow_up)}" for i in activity.indicator_list]
            lines += [_indicator_line(i, follow_up) for i in strategy.indicator_list]
            sub.add(
                Table(
                    title=strategy.title,  # numbered by the report: "4.3.1 Tabell 2 – …"
                    header=[_("Strategi"), _("Aktivitet/mätetal"), _("Verksamhet")],
                    rows=[
                        [
                            _status_cell(strategy.latest, strategy.title),
                            Cell("\n".join(lines)),
                            Cell(_units_label(strategy)),
                        ]
                    ],
                    widths=[2, 4, 1.3],
                )
            )
            if strategy.latest:
                sub.blocks += _paragraphs(strategy.latest.text)
            for indicator in strategy.indicator_list + [i for a in strategy.activity_list for i in a.indicator_list]:
                if indicator.dimension and indicator.outcome_list:
                    sub.add(_dimension_table(indicator))
    return section


def _unit_section(*, unit, fiscal_year, follow_up, goals):
    section = Section(
        title=_("%(unit)s – måluppfyllelse %(year)s") % {"unit": unit.name, "year": fiscal_year.year},
        level=1,
        key=f"unit-{unit.natural_key()[0]}",
    )
    result_header = _("Resultat %(date)s") % {"date": f"{follow_up.period_end:%y%m%d}"}
    for goal in goals:
        strategies = [s for s in goal.strategy_list if s.plan_unit_id == unit.pk]
        own_goal = goal.unit_id == unit.pk
        if not strategies and not own_goal:
            continue
        sub = section.add(Section(title=goal.title, level=2))
        if own_goal:
            if goal.description:
                sub.add(Paragraph(goal.description))
            sub.add(
                Paragraph(f"{_('Bedömning')}: {goal.latest.get_status_display() if goal.latest else _('Ej bedömd')}")
            )
            if goal.latest:
                sub.blocks += _paragraphs(goal.latest.text)
        rows = []
        for strategy in strategies:
            first = True
            for activity in strategy.activity_list or [None]:
                strategy_cell = Cell(strategy.title, bold=True) if first else Cell("")
                first = False
                if activity is None:
                    rows.append(
                        [
                            strategy_cell,
                            Cell(""),
                            _status_cell(strategy.latest, strategy.latest.text if strategy.latest else None),
                        ]
                    )
                    continue
                prefix = f"{activity.number}. " if activity.number else ""
                result = activity.latest.text if activity.latest and activity.latest.text else None
                rows.append(
                    [
                        strategy_cell,
                        Cell(prefix + activity.title),
                        _status_cell(activity.latest, prefix + result if result else None),
                    ]
                )
        if rows:
            sub.add(
                Table(
                    title=f"{unit.short_name or unit.name}: {goal.title}",
                    header=[_("Strategi"), _("Aktivitet/mätetal"), result_header],
                    rows=rows,
                    widths=[2, 3.5, 2.5],
                )
            )
        for strategy in strategies:
            if strategy.latest and strategy.latest.text:
                sub.blocks += _paragraphs(strategy.latest.text)
    return section


def build_sections(*, fiscal_year: FiscalYear, units=None, follow_up: FollowUp | None = None) -> list[Section]:
    """Section 4 Måluppfyllelse and one section per unit with its own plan (``units`` limits those)."""
    follow_up = follow_up or latest_follow_up(fiscal_year=fiscal_year)
    if follow_up is None:
        return [
            Section(
                title=_("4 Måluppfyllelse"), key="goals", blocks=[Paragraph(_("Inga uppföljningar finns för året."))]
            )
        ]
    goals = goal_tree(fiscal_year, follow_up=follow_up)
    sections = [_goal_section(fiscal_year=fiscal_year, follow_up=follow_up, goals=goals)]
    unit_ids = {s.plan_unit_id for g in goals for s in g.strategy_list if s.plan_unit_id} | {
        g.unit_id for g in goals if g.unit_id
    }
    plan_units = Unit.objects.filter(pk__in=unit_ids).order_by("order", "name")
    if units is not None:
        wanted = {getattr(u, "pk", u) for u in units}
        plan_units = [u for u in plan_units if u.pk in wanted]
    for unit in plan_units:
        sections.append(_unit_section(unit=unit, fiscal_year=fiscal_year, follow_up=follow_up, goals=goals))
    return sections
