"""Section builders for the year-end report: "4 Måluppfyllelse" and one section per
unit with its own plan (Dataskyddsombud, Medarbetarcentrum, Navet …).

Returns ``federation.reports.document`` objects only; the renderers decide the format.
Statuses become colours through ``Status.tone`` (goals.models), nowhere else."""

from collections import defaultdict

from django.utils.translation import gettext as _

from federation.models import FiscalYear, FollowUp, Unit
from federation.people import person_name
from federation.registry import SummaryLine
from federation.reports.document import Cell, Paragraph, Section, Table

from .models import (
    Assessment,
    DimensionKind,
    OverallGoal,
    Status,
    Strategy,
    TargetRevision,
    format_number,
    status_tone,
)
from .selectors import goal_tree
from .services import direction_goal_statuses, statuses_tone, year_summary_sentence
from .suggest import status_suggest


def _paragraphs(text):
    return [Paragraph(part.strip()) for part in (text or "").split("\n\n") if part.strip()]


def _status_word(assessment) -> str:
    """The assessment's word ("Delvis uppfyllt"), "Ej bedömd" without one: ``get_status_display`` without its
    cost (Django builds the whole choice dictionary, every label translated, on each call; a report asks
    a thousand times)."""
    if not assessment:
        return _("Ej bedömd")
    try:
        return str(Status(assessment.status).label)
    except ValueError:
        return str(assessment.status)  # (as get_status_display shows a value outside the choices)


def _status_cell(assessment, text=None):
    """The assessment's colour with its word ("Delvis uppfyllt"), beside ``text`` when given."""
    word = _status_word(assessment)
    tone = status_tone(assessment.status if assessment is not None else "")
    return Cell(text or word, tone=tone, status=word)


def target_with_revision(indicator) -> str:
    """The målvärde, and the one it replaced when it was revised: "Minst 90 % (ändrat från Minst 85 %
    2019-06-12: <reason>)". Reads ``revision_list`` (``_attach_revisions``) when set."""
    text = indicator.target_display
    revisions = getattr(indicator, "revision_list", None)
    if revisions is None:
        revisions = list(indicator.target_revisions.select_related("indicator"))
    if revisions and text:
        latest = revisions[-1]
        if latest.old_display != text:
            text += " " + _("(ändrat från %(old)s %(date)s: %(reason)s)") % {
                "old": latest.old_display,
                "date": f"{latest.changed_at:%Y-%m-%d}",
                "reason": latest.reason,
            }
    return text


def _attach_revisions(goals) -> None:
    """Each mätetal of the tree gets ``revision_list`` (its målvärde revisions, oldest first), in one query."""
    indicators = {
        indicator.pk: indicator
        for goal in goals
        for strategy in goal.strategy_list
        for indicator in strategy.indicator_list + [i for a in strategy.activity_list for i in a.indicator_list]
    }
    for indicator in indicators.values():
        indicator.revision_list = []
    for revision in TargetRevision.objects.filter(indicator__in=list(indicators)).order_by("changed_at", "pk"):
        revision.indicator = indicators[revision.indicator_id]
        revision.indicator.revision_list.append(revision)


def _indicator_line(indicator, follow_up):
    parts = [f"{_('Mätetal')}: {indicator.name}"]
    if indicator.target_display:
        parts.append(f"{_('målvärde')} {target_with_revision(indicator)}")
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
        footnotes.append(f"{_('Målvärde')}: {target_with_revision(indicator)}")
    if indicator.is_share:
        footnotes.append(_("Andelen är beräknad ur antal beviljade och sökta."))
    return Table(title=f"{_('Mätetal')}: {indicator.name}", header=header, rows=rows, footnotes=footnotes)


def _goal_section(*, fiscal_year, follow_up, goals):
    section = Section(title=_("4 Måluppfyllelse"), level=1, key="goals")

    overall = OverallGoal.objects.filter(fiscal_year=fiscal_year).first()
    s41 = section.add(Section(title=_("4.1 Måluppfyllelse strategiskt mål"), level=2, key="goals-overall"))
    s41.add(
        Paragraph(
            _("Måluppfyllelsen %(as_of)s (%(follow_up)s).") % {"as_of": follow_up.as_of_label, "follow_up": follow_up},
            style="note",
        )
    )
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
        sub.add(Paragraph(f"{_('Bedömning')}: {_status_word(goal.latest)}"))
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
            sub.add(Paragraph(f"{_('Bedömning')}: {_status_word(goal.latest)}"))
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


def build_sections(
    *, fiscal_year: FiscalYear, units=None, follow_up: FollowUp | None, changes: bool = False
) -> list[Section]:
    """Section 4 Måluppfyllelse and one section per unit with its own plan (``units`` limits those), at
    ``follow_up`` (delår or helår); with ``changes``, each ends with what changed since the previous
    follow-up."""
    if follow_up is None:
        return [
            Section(
                title=_("4 Måluppfyllelse"), key="goals", blocks=[Paragraph(_("Inga uppföljningar finns för året."))]
            )
        ]
    goals = goal_tree(fiscal_year, follow_up=follow_up)
    _attach_revisions(goals)
    previous = FollowUp.objects.previous(follow_up) if changes else None
    before = _previous_state(goals=goals, fiscal_year=fiscal_year, previous=previous) if changes else None
    goal_section = _goal_section(fiscal_year=fiscal_year, follow_up=follow_up, goals=goals)
    if changes:
        shared = [g for g in goals if g.unit_id is None]
        goal_section.add(
            _changes_section(
                title_prefix="4.4 ",
                items=_items(shared, plan_unit=None),
                follow_up=follow_up,
                previous=previous,
                before=before,
            )
        )
    sections = [goal_section]
    unit_ids = {s.plan_unit_id for g in goals for s in g.strategy_list if s.plan_unit_id} | {
        g.unit_id for g in goals if g.unit_id
    }
    plan_units = Unit.objects.filter(pk__in=unit_ids).order_by("order", "name")
    if units is not None:
        wanted = {getattr(u, "pk", u) for u in units}
        plan_units = [u for u in plan_units if u.pk in wanted]
    for unit in plan_units:
        section = _unit_section(unit=unit, fiscal_year=fiscal_year, follow_up=follow_up, goals=goals)
        if changes:
            section.add(
                _changes_section(
                    title_prefix="",
                    items=_items(goals, plan_unit=unit),
                    follow_up=follow_up,
                    previous=previous,
                    before=before,
                    level=2,
                )
            )
        sections.append(section)
    return sections


# --- What changed since the previous follow-up -------------------------------------------------------


def _items(goals, *, plan_unit):
    """The goals, strategies and activities a section reports: the federation's (``plan_unit`` None) or
    those in a unit's own plan, in tree order."""
    unit_id = getattr(plan_unit, "pk", None)
    for goal in goals:
        if unit_id is not None and goal.unit_id == unit_id:
            yield goal
        elif unit_id is None and goal.unit_id is None:
            yield goal
        for strategy in goal.strategy_list:
            if strategy.plan_unit_id == unit_id:
                yield strategy
                yield from strategy.activity_list


def _kind(item) -> str:
    return type(item).__name__


def _previous_state(*, goals, fiscal_year, previous):
    """At ``previous``: each item's assessment by (kind, code) and each mätetal's total outcome by series.
    The previous year's tree is read when ``previous`` is last year's helår (codes and series stay)."""
    if previous is None:
        return {"assessments": {}, "outcomes": {}}
    tree = goals if previous.fiscal_year_id == fiscal_year.pk else goal_tree(previous.fiscal_year)
    assessments, outcomes = {}, {}
    for goal in tree:
        items = [goal]
        for strategy in goal.strategy_list:
            items += [strategy, *strategy.activity_list]
            for indicator in strategy.indicator_list + [i for a in strategy.activity_list for i in a.indicator_list]:
                for outcome in indicator.outcome_list:
                    if outcome.follow_up_id == previous.pk and not outcome.dimension_label:
                        outcomes[indicator.series] = outcome
        for item in items:
            found = [a for a in item.assessment_list if a.follow_up_id == previous.pk]
            if found:
                assessments[(_kind(item), item.code)] = found[-1]
    return {"assessments": assessments, "outcomes": outcomes}


def _changes_section(*, title_prefix, items, follow_up, previous, before, level=2):
    """ "Förändringar sedan delår 2019 (per 2019-08-31)": assessments that moved (from → to), outcomes
    added at ``follow_up``, målvärden revised since the previous follow-up."""
    items = list(items)
    if previous is None:
        section = Section(title=f"{title_prefix}{_('Förändringar sedan förra uppföljningen')}", level=level)
        section.add(Paragraph(_("Det finns ingen tidigare uppföljning att jämföra med.")))
        return section
    section = Section(
        title=f"{title_prefix}"
        + _("Förändringar sedan %(follow_up)s (%(as_of)s)")
        % {"follow_up": str(previous).lower(), "as_of": previous.as_of_label},
        level=level,
    )
    moved = []
    for item in items:
        then = before["assessments"].get((_kind(item), item.code))
        now = item.latest
        if (then.status if then else "") != (now.status if now else ""):
            moved.append(
                [
                    Cell(str(item)),
                    Cell(_status_word(then), tone=status_tone(then.status if then else "")),
                    Cell(_status_word(now), tone=status_tone(now.status if now else "")),
                ]
            )
    section.add(
        Table(
            title=_("Ändrade bedömningar"),
            header=[_("Mål, strategi eller aktivitet"), str(previous), str(follow_up)],
            rows=moved or [[Cell(_("Inga bedömningar har ändrats."), colspan=3)]],
            widths=[4, 1.5, 1.5],
        )
    )
    indicators = [indicator for item in items if _kind(item) != "DirectionGoal" for indicator in item.indicator_list]
    added = []
    for indicator in indicators:
        now = [o for o in indicator.outcome_list if o.follow_up_id == follow_up.pk]
        if not now:
            continue
        totals = [o for o in now if not o.dimension_label]
        if totals:
            then = before["outcomes"].get(indicator.series)
            added.append([Cell(indicator.name), Cell(totals[0].display), Cell(then.display if then else "–")])
        else:
            added.append(
                [
                    Cell(indicator.name),
                    Cell(_("%(count)s utfall per kommun eller delregion") % {"count": len(now)}),
                    Cell("–"),
                ]
            )
    section.add(
        Table(
            title=_("Nya utfall"),
            header=[_("Mätetal"), _("Utfall %(as_of)s") % {"as_of": follow_up.as_of_label}, str(previous)],
            rows=added or [[Cell(_("Inga nya utfall."), colspan=3)]],
            widths=[4, 2, 2],
        )
    )
    revised = []
    for indicator in indicators:
        for revision in indicator.revision_list:
            day = revision.changed_at.date()
            if previous.period_end < day <= follow_up.due_date:
                revised.append(
                    [
                        Cell(indicator.name),
                        Cell(revision.old_display),
                        Cell(revision.new_display),
                        Cell(f"{day:%Y-%m-%d}"),
                        Cell(_person(revision.changed_by)),
                        Cell(revision.reason),
                    ]
                )
    section.add(
        Table(
            title=_("Ändrade målvärden"),
            header=[_("Mätetal"), _("Tidigare målvärde"), _("Nytt målvärde"), _("Ändrat"), _("Av"), _("Varför")],
            rows=revised or [[Cell(_("Inga målvärden har ändrats."), colspan=6)]],
            widths=[3, 1.5, 1.5, 1.2, 1.5, 3],
        )
    )
    return section


def _person(user) -> str:
    return person_name(user) if user is not None else "–"


# --- Sammanfattning (federation.registry.register_summary) --------------------------------------------


def _summary_line(topic, text, statuses) -> SummaryLine:
    """A Sammanfattning line coloured by ``statuses`` (``statuses_tone``) with the status word of its colour."""
    tone = statuses_tone(statuses)
    words = {status_tone(status): status.label for status in (Status.MET, Status.PARTLY_MET, Status.NOT_MET)}
    return SummaryLine(topic=topic, text=text, tone=tone, status=str(words.get(tone, _("Ej bedömd"))))


def summary_lines(*, fiscal_year: FiscalYear, follow_up: FollowUp | None) -> list[SummaryLine]:
    """Goal fulfilment at ``follow_up`` in the words of section 4.1 and the status colours."""
    if follow_up is None:
        return []
    statuses = direction_goal_statuses(fiscal_year=fiscal_year, follow_up=follow_up)
    lines = [
        _summary_line(
            _("Inriktningsmål"), year_summary_sentence(fiscal_year=fiscal_year, follow_up=follow_up), statuses
        )
    ]
    strategy_statuses = list(
        Assessment.objects.filter(
            strategy__fiscal_year=fiscal_year, strategy__plan_unit__isnull=True, follow_up=follow_up
        ).values_list("status", flat=True)
    )
    total = Strategy.objects.filter(fiscal_year=fiscal_year, plan_unit__isnull=True).count()
    if total:
        counts = {status: strategy_statuses.count(status) for status in Status if strategy_statuses.count(status)}
        unassessed = total - len(strategy_statuses)
        parts = [f"{Status(status).label.lower()} {count}" for status, count in counts.items()]
        if unassessed:
            parts.append(f"{_('ej bedömd')} {unassessed}")
        lines.append(
            _summary_line(
                _("Strategier"),
                _("%(total)s %(noun)s: %(parts)s.")
                % {"total": total, "noun": _("strategi") if total == 1 else _("strategier"), "parts": ", ".join(parts)},
                strategy_statuses + [""] * unassessed,
            )
        )
    return lines
