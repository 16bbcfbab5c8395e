"""Status suggested by the numbers: a pure function of direction, target and outcome.

A person may set another status; the suggestion is stored beside it so the
difference stays visible (2019: "Minst 500 pedagoger" → 402, "Genomfört")."""

from decimal import Decimal

from .models import Direction, Status

# Within this share of the target an outcome counts as "delvis uppfyllt".
PARTLY_SHARE = Decimal("0.8")


def status_suggest(*, direction: str, target, value) -> Status | None:
    """The status the outcome suggests, or None when the numbers cannot say (qualitative, missing)."""
    if direction == Direction.QUALITATIVE or target is None or value is None:
        return None
    target, value = Decimal(target), Decimal(value)
    if direction == Direction.AT_LEAST:
        if value >= target:
            return Status.MET
        return Status.PARTLY_MET if value >= target * PARTLY_SHARE else Status.NOT_MET
    if direction == Direction.AT_MOST:
        if value <= target:
            return Status.MET
        return Status.PARTLY_MET if value * PARTLY_SHARE <= target else Status.NOT_MET
    if direction == Direction.EXACT:
        if value == target:
            return Status.MET
        if target == 0:
            return Status.NOT_MET
        return Status.PARTLY_MET if abs(value - target) <= abs(target) * (1 - PARTLY_SHARE) else Status.NOT_MET
    raise ValueError(f"Okänd riktning: {direction}")


def statuses_combine(statuses) -> Status | None:
    """One suggestion from several mätetal: all met → met, all not met → not met, else partly."""
    statuses = [s for s in statuses if s is not None]
    if not statuses:
        return None
    if all(s == Status.MET for s in statuses):
        return Status.MET
    if all(s == Status.NOT_MET for s in statuses):
        return Status.NOT_MET
    return Status.PARTLY_MET


def outcomes_suggest(outcomes) -> Status | None:
    """One suggestion from outcomes (each with its ``indicator``): what their numbers say together."""
    return statuses_combine(
        status_suggest(direction=o.indicator.direction, target=o.indicator.target, value=o.effective_value)
        for o in outcomes
    )


def item_suggestion(item, follow_up):
    """The one suggestion shown for a goal, strategy or activity: ``(status, follow_up)`` or None.

    What its mätetal's outcomes for ``follow_up`` say now (their ``outcome_list``, as attached by the page);
    when they say nothing, what they said when the latest assessment was saved (stored on it, with its own
    follow-up). Min enhet shows this one line per card, and starts the status to save there."""
    if follow_up is not None:
        status = outcomes_suggest(
            outcome
            for indicator in getattr(item, "indicator_list", ())
            for outcome in indicator.outcome_list
            if outcome.follow_up_id == follow_up.pk
        )
        if status:
            return status, follow_up
    latest = item.latest
    if latest is not None and latest.suggested_status:
        return Status(latest.suggested_status), latest.follow_up
    return None
