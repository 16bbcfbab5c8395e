"""Översikt: the year at a glance, from the demo data, in a constant number of queries."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from federation import dates
from internalcontrol.models import Check, ControlPlan, ControlPoint, Risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def director_client(client, demo_data):
    client.force_login(get_user_model().objects.get(username="direktor"))
    return client


def test_2019_shows_every_check_done_and_the_remarks(director_client):
    response = director_client.get("/?year=2019")
    progress = response.context["progress"]
    assert progress["planned"] == progress["done"] > 30
    assert progress["remark"] == 5
    assert progress["overdue"] == 0
    page = response.content.decode()
    # the page speaks of today, whichever year it shows (federation.dates.today)
    assert f"Läget per {dates.today():%Y-%m-%d}" in page
    assert f"Kontroller: {progress['done']} av {progress['planned']} genomförda (100 %)" in page


def test_the_heat_map_counts_each_risk_once_in_its_cell_with_a_word_and_a_link(director_client):
    response = director_client.get("/?year=2019")
    heat_map = response.context["heat_map"]
    plan = ControlPlan.objects.for_year(2019)
    assert heat_map["total"] == Risk.objects.filter(plan=plan).count()
    cells = {(c.likelihood, c.consequence): c for row in heat_map["rows"] for c in row["cells"]}
    risk = Risk.objects.filter(plan=plan).first()
    cell = cells[(risk.likelihood, risk.consequence)]
    assert (
        cell.count == Risk.objects.filter(plan=plan, likelihood=risk.likelihood, consequence=risk.consequence).count()
    )
    assert cells[(4, 4)].word == "Hög" and cells[(1, 1)].word == "Låg"
    link = f"/internkontroll/risker/?year=2019&amp;sannolikhet={risk.likelihood}&amp;konsekvens={risk.consequence}"
    assert link in response.content.decode()


def test_a_heat_map_cell_leads_to_its_risks_only(director_client):
    response = director_client.get("/internkontroll/risker/?year=2019&sannolikhet=3&konsekvens=3")
    risks = list(response.context["table"].data)
    assert risks and all((r.likelihood, r.consequence) == (3, 3) for r in risks)


def test_goal_bars_show_each_inriktningsmal_with_words_and_the_trend_and_rankings(director_client):
    page = director_client.get("/?year=2019").content.decode()
    response = director_client.get("/?year=2019")
    bars = response.context["goal_bars"]
    assert len(bars) == 7
    assert [bar.own_label for bar in bars].count("Uppfyllt") == 6
    assert "Delvis uppfyllt" in page
    # Each bar in words, as its label for screen readers and under it: the counts the segments are drawn from.
    for bar in bars:
        words = " · ".join(f"{label} {count}" for _s, label, _t, count, _x, _w in bar.segments if count)
        assert bar.summary == words and f'aria-label="{words}"' in page
    assert any(bar.summary for bar in bars)
    trend = response.context["trend"]
    assert [(p["year"], int(p["target"]), int(p["outcome"])) for p in trend["points"]] == [
        (2013, 20000, 14263),
        (2019, 25000, 27531),
    ]
    ranking = response.context["ranking"]
    assert ranking["years"] == [2018, 2019]
    assert len(ranking["rows"]) == 9
    assert 'role="img"' in page and "<figcaption>" in page


def test_the_overview_needs_the_same_queries_with_many_more_rows(director_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert director_client.get("/?year=2020").status_code == 200
        return len(captured)

    before = queries()
    plan = ControlPlan.objects.for_year(2020)
    points = list(ControlPoint.objects.filter(area__plan=plan))
    Check.objects.bulk_create(
        Check(control_point=point, due_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=day))
        for point in points
        for day in range(1, 40, 3)
    )
    Risk.objects.bulk_create(
        Risk(plan=plan, title=f"Extra risk {i}", likelihood=1 + i % 4, consequence=1 + (i // 4) % 4) for i in range(60)
    )
    assert queries() == before


def test_the_timeline_lists_the_first_checks_of_a_month_and_counts_the_rest(demo_data):
    from internalcontrol.overview import TIMELINE_SHOWN, checks_timeline

    plan = ControlPlan.objects.for_year(2020)
    point = ControlPoint.objects.filter(area__plan=plan).first()
    Check.objects.filter(control_point__area__plan=plan, due_date__gte=datetime.date(2020, 3, 1)).delete()
    Check.objects.bulk_create(
        Check(control_point=point, due_date=datetime.date(2020, 3, day)) for day in range(1, TIMELINE_SHOWN + 5)
    )

    march, april = checks_timeline(plan=plan, on=datetime.date(2020, 3, 1), months=2)

    assert (march["label"], march["count"], march["more"]) == ("mar 2020", TIMELINE_SHOWN + 4, 4)
    assert [check.due_date.day for check in march["checks"]] == list(range(1, TIMELINE_SHOWN + 1))
    assert (april["count"], april["checks"], april["more"]) == (0, [], 0)
