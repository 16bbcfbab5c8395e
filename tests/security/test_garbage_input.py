"""Generated garbage at the frequency parser, the forms and the importers: a clear Swedish
answer every time, never a 500, and nothing stored when the input is refused."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from goals.models import Activity, Assessment, Indicator, Outcome, Status
from goals.resources import ActivityResource, OutcomeResource, import_file
from internalcontrol.frequency import Frequency, parse_frequency
from internalcontrol.models import Check, ControlPlan, ControlPoint, Deviation
from internalcontrol.resources import plan_import

SMALL = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
SWEDISH = ("Frekvens", "frekvens")

garbage_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "0", "-1", "13 ggr/år", "5 ggr/år", "=1+1", "ÅÄÖ", "\x00", "2019-02-30", "1e999"]),
)


@given(text=garbage_text)
@settings(max_examples=200, deadline=None)
def test_the_frequency_parser_gives_a_frequency_or_a_swedish_error(text):
    try:
        result = parse_frequency(text)
    except ValidationError as error:
        assert any(word in " ".join(error.messages) for word in SWEDISH)
    else:
        assert isinstance(result, Frequency)


def savepoint(run):
    """Run one example and undo what it stored, so examples do not see each other."""
    sid = transaction.savepoint()
    try:
        run()
    finally:
        transaction.savepoint_rollback(sid)


dates = st.one_of(
    st.dates().map(str), st.text(max_size=12), st.sampled_from(["", "2019-12-31", "2020-06-30", "2099-01-01"])
)


@pytest.mark.django_db
@given(
    result=st.one_of(st.sampled_from(["ok", "remark", "not_done", ""]), st.text(max_size=8)),
    performed_on=dates,
    severity=st.one_of(st.sampled_from(["low", "medium", "high", ""]), st.text(max_size=6)),
    deviation=st.one_of(st.just(""), st.just("   "), st.text(max_size=30)),
    period_start=dates,
)
@SMALL
def test_garbage_at_the_check_log_form_is_refused_without_a_500(
    client, demo_data, result, performed_on, severity, deviation, period_start
):
    client.force_login(get_user_model().objects.get(username="adminchef"))
    check = (
        Check.objects.filter(
            control_point__responsible_role__name="Administrativ chef",
            control_point__area__plan__fiscal_year__year=2020,
            performed_on__isnull=True,
        )
        .order_by("pk")
        .first()
    )

    def run():
        deviations = Deviation.objects.count()
        data = {"result": result, "performed_on": performed_on, "severity": severity, "deviation": deviation}
        data["period_start"] = period_start
        response = client.post(reverse("internalcontrol:check-log", args=[check.pk]), data)
        assert response.status_code in (200, 302)
        check.refresh_from_db()
        if response.status_code == 200:  # the form again, with errors
            assert 'class="errorlist' in response.content.decode()
            assert check.performed_on is None and Deviation.objects.count() == deviations
        else:
            assert check.result in ("ok", "remark", "not_done")
            assert check.performed_on.year >= 2020
            assert check.result != "remark" or Deviation.objects.count() == deviations + 1

    savepoint(run)


@pytest.mark.django_db
@given(
    follow_up=st.one_of(st.integers(-5, 10**6).map(str), st.text(max_size=6)),
    status=st.one_of(st.sampled_from(Status.values), st.text(max_size=10)),
    text=st.text(max_size=60),
)
@SMALL
def test_garbage_at_the_assessment_form_stores_nothing(client, demo_data, follow_up, status, text):
    navet = get_user_model().objects.get(username="navet")
    client.force_login(navet)
    activity = Activity.objects.filter(unit__name="Navet science center", fiscal_year__year=2019).order_by("pk").first()
    valid_follow_ups = {str(pk) for pk in activity.fiscal_year.follow_ups.values_list("pk", flat=True)}

    def run():
        before = list(Assessment.objects.filter(activity=activity).values_list("follow_up_id", "status", "text"))
        prefix = f"aktivitet-{activity.pk}"
        data = {f"{prefix}-follow_up": follow_up, f"{prefix}-status": status, f"{prefix}-text": text}
        response = client.post(reverse("goals:assessment_update", args=["aktivitet", activity.pk]), data)
        assert response.status_code == 302
        after = list(Assessment.objects.filter(activity=activity).values_list("follow_up_id", "status", "text"))
        if after != before:
            assert status in Status.values
            assert follow_up.strip() in valid_follow_ups

    savepoint(run)


@pytest.mark.django_db
@given(
    value=st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.integers(-(10**16), 10**16).map(str),
        st.text(max_size=10),
    ),
    text=st.text(max_size=320),
)
@SMALL
def test_garbage_at_the_outcome_form_stores_nothing_impossible(client, demo_data, value, text):
    client.force_login(get_user_model().objects.get(username="navet"))
    indicator = (
        Indicator.objects.filter(
            activity__unit__name="Navet science center", fiscal_year__year=2019, is_share=False, dimension=""
        )
        .order_by("pk")
        .first()
    )
    follow_up = indicator.fiscal_year.follow_ups.get(kind="annual")

    def run():
        before = list(Outcome.objects.filter(indicator=indicator).values_list("value", "text"))
        prefix = f"utfall-{indicator.pk}"
        data = {f"{prefix}-follow_up": follow_up.pk, f"{prefix}-value": value, f"{prefix}-text": text}
        response = client.post(reverse("goals:outcome_update", args=[indicator.pk]), data)
        assert response.status_code == 302
        after = list(Outcome.objects.filter(indicator=indicator).values_list("value", "text"))
        for stored, _stored_text in set(after) - set(before):
            assert stored is None or stored >= 0  # a count ("teman") is never negative
            assert len(_stored_text) <= 300

    savepoint(run)


@pytest.mark.django_db
@given(content=st.binary(max_size=300), file_format=st.sampled_from(["csv", "xlsx"]))
@example(content=b"\r\x01", file_format="csv")  # a blank first line: no header row
@example(content=b"", file_format="csv")
@SMALL
def test_random_bytes_at_the_goals_importers_are_refused(demo_data, content, file_format):
    def run():
        counts = (Activity.objects.count(), Outcome.objects.count())
        for resource in (ActivityResource(), OutcomeResource()):
            try:
                result, errors = import_file(resource=resource, content=content, file_format=file_format)
            except ValueError as error:
                assert str(error)  # a Swedish message, e.g. "Filen kunde inte läsas …"
            else:
                stored = result.totals.get("new", 0) + result.totals.get("update", 0)
                assert errors or stored == 0
        assert (Activity.objects.count(), Outcome.objects.count()) == counts

    savepoint(run)


cell = st.one_of(st.text(max_size=12), st.sampled_from(["", "2019", '=HYPERLINK("x")', "-1", "Navet science center"]))


@pytest.mark.django_db
@given(rows=st.lists(st.lists(cell, min_size=7, max_size=7), min_size=1, max_size=4))
@SMALL
def test_random_csv_rows_at_the_activity_importer_write_nothing(demo_data, rows):
    header = ["År", "Kod", "Strategi (kod)", "Nummer", "Aktivitet", "Verksamhet", "Ordning"]
    rows = [["x" + row[0], *row[1:]] for row in rows]  # the year is never valid

    def run():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        count = Activity.objects.count()
        try:
            result, errors = import_file(
                resource=ActivityResource(), content=buffer.getvalue().encode(), file_format="csv"
            )
        except ValueError:
            pass
        else:
            assert errors and all(line.startswith("Rad ") or line for line in errors)
        assert Activity.objects.count() == count

    savepoint(run)


@pytest.mark.django_db
@given(content=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
@SMALL
def test_random_bytes_at_the_plan_importer_are_refused(demo_data, content, suffix):
    def run():
        counts = (ControlPlan.objects.count(), ControlPoint.objects.count())
        try:
            result = plan_import(year=2021, path=f"plan{suffix}", content=content)
        except ValidationError as error:
            assert error.messages
        else:
            assert not result.ok
        assert (ControlPlan.objects.count(), ControlPoint.objects.count()) == counts

    savepoint(run)


def as_score(value):
    try:
        return int(value)
    except ValueError:
        return None


score = st.one_of(st.integers(-3, 8).map(str), st.text(max_size=4))


@pytest.mark.django_db
@given(likelihood=score, consequence=score)
@SMALL
def test_risk_scores_outside_1_to_4_are_refused_in_the_admin(client, demo_data, likelihood, consequence):
    from internalcontrol.models import Risk
    from internalcontrol.services import plan_copy_to_year

    client.force_login(get_user_model().objects.get(username="direktor"))
    draft = ControlPlan.objects.filter(fiscal_year__year=2021).first() or plan_copy_to_year(
        plan=ControlPlan.objects.get(fiscal_year__year=2020, is_current=True), year=2021
    )

    def run():
        count = Risk.objects.count()
        data = {"plan": draft.pk, "title": "Genererad risk", "likelihood": likelihood, "consequence": consequence}
        response = client.post(reverse("admin:internalcontrol_risk_add"), data)
        valid = all(1 <= (as_score(value) or 0) <= 4 for value in (likelihood, consequence))
        if valid:
            assert response.status_code == 302 and Risk.objects.count() == count + 1
        else:
            assert response.status_code == 200 and Risk.objects.count() == count
            page = response.content.decode()
            assert "ska vara 1–4" in page or "errorlist" in page

    savepoint(run)
