import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.models import Assessment, Indicator, Outcome, Status, Strategy

pytestmark = pytest.mark.django_db


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def test_goal_tree_shows_the_2019_goals_with_statuses_and_summary(client, demo_data):
    login(client, "revisor")
    page = client.get(reverse("goals:index"), {"year": 2019}).content.decode()
    assert "Skapa möjligheter till företagande och företagsutveckling" in page
    assert "Sex av sju inriktningsmål bedöms helt uppfyllda, ett delvis uppfyllt." in page
    assert 'class="status status-yellow">Delvis uppfyllt' in page
    assert "Verka för ett förbättrat företagsklimat i Boråsregionen" in page


def test_goal_tree_filters_by_unit_and_status(client, demo_data):
    login(client, "revisor")
    navet = Strategy.objects.get(code="navet-samordning-utbildning", fiscal_year__year=2019).units.get()
    page = client.get(reverse("goals:index"), {"year": 2019, "unit": navet.pk}).content.decode()
    assert "Minst 25 000 elever på olika teman" in page
    assert "Verka för fler investeringsförfrågningar" not in page
    page = client.get(reverse("goals:index"), {"year": 2019, "status": Status.NOT_MET}).content.decode()
    assert "Minst 3 000 elever på teman i matematik" in page
    assert "Minst 25 000 elever på olika teman" not in page


def test_min_enhet_lists_what_navet_owns_with_latest_status(client, demo_data):
    login(client, "navet")
    page = client.get(reverse("goals:my_unit"), {"year": 2019}).content.decode()
    assert "Min enhet: Navet science center" in page
    assert "Minst 500 pedagoger på utbildning i matematik" in page
    assert "Utfallet för Helår 2019 föreslår:" in page
    assert "Verka för fler investeringsförfrågningar" not in page


def test_unit_lead_updates_own_activity_and_sees_history(client, demo_data):
    login(client, "navet")
    assessment = Assessment.objects.get(activity__code="navet-samordning-5")
    activity = assessment.activity
    prefix = f"aktivitet-{activity.pk}"
    url = reverse("goals:assessment_update", args=["aktivitet", activity.pk])
    response = client.post(
        url,
        {
            f"{prefix}-follow_up": assessment.follow_up_id,
            f"{prefix}-status": Status.PARTLY_MET,
            f"{prefix}-text": "Nära",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.text, assessment.author.username) == (Status.PARTLY_MET, "Nära", "navet")
    page = client.get(response.url).content.decode()
    assert "Bedömningen av" in page and "är sparad" in page
    assert "Historik" in page and "Nära" in page


def test_unit_lead_posting_to_another_units_strategy_gets_403_and_nothing_changes(client, demo_data):
    login(client, "navet")
    strategy = Strategy.objects.get(code="fler-investeringsforfragningar", fiscal_year__year=2019)
    before = list(Assessment.objects.filter(strategy=strategy).values_list("status", "text"))
    prefix = f"strategi-{strategy.pk}"
    follow_up = Assessment.objects.filter(strategy=strategy, follow_up__kind="annual").get().follow_up_id
    response = client.post(
        reverse("goals:assessment_update", args=["strategi", strategy.pk]),
        {f"{prefix}-follow_up": follow_up, f"{prefix}-status": Status.NOT_MET, f"{prefix}-text": "Hackat"},
    )
    assert response.status_code == 403
    assert list(Assessment.objects.filter(strategy=strategy).values_list("status", "text")) == before


def test_unit_lead_cannot_post_outcomes_for_another_units_indicator(client, demo_data):
    login(client, "navet")
    indicator = Indicator.objects.get(fiscal_year__year=2019, series="brb-investeringsforfragningar")
    prefix = f"utfall-{indicator.pk}"
    response = client.post(
        reverse("goals:outcome_update", args=[indicator.pk]), {f"{prefix}-follow_up": 1, f"{prefix}-value": 999}
    )
    assert response.status_code == 403
    assert not Outcome.objects.filter(indicator=indicator, value=999).exists()


def test_director_records_an_outcome_and_bad_input_gets_a_swedish_error(client, demo_data):
    login(client, "direktor")
    indicator = Indicator.objects.get(fiscal_year__year=2019, series="yh-andel-beviljade")
    follow_up = Outcome.objects.filter(indicator=indicator).first().follow_up
    prefix = f"utfall-{indicator.pk}"
    url = reverse("goals:outcome_update", args=[indicator.pk])
    response = client.post(
        url,
        {
            f"{prefix}-follow_up": follow_up.pk,
            f"{prefix}-delregion": "Boråsregionen",
            f"{prefix}-numerator": 10,
            f"{prefix}-denominator": 5,
        },
        follow=True,
    )
    assert "Täljaren kan inte vara större än nämnaren." in response.content.decode()
    client.post(
        url,
        {
            f"{prefix}-follow_up": follow_up.pk,
            f"{prefix}-delregion": "Boråsregionen",
            f"{prefix}-numerator": 5,
            f"{prefix}-denominator": 10,
        },
    )
    outcome = Outcome.objects.get(indicator=indicator, follow_up=follow_up, delregion="Boråsregionen")
    assert (outcome.numerator, outcome.denominator) == (5, 10)


def test_indicator_page_shows_the_series_as_table_and_chart(client, demo_data):
    login(client, "revisor")
    indicator = Indicator.objects.get(fiscal_year__year=2019, series="navet-elever-teman")
    page = client.get(reverse("goals:indicator", args=[indicator.pk])).content.decode()
    assert "27\u00a0531" in page and "14\u00a0263" in page
    assert "<svg" in page and 'role="img"' in page
    assert "Minst 25\u00a0000 elever" in page


def test_kommun_ranking_page_lists_every_kommun(client, demo_data):
    login(client, "revisor")
    indicator = Indicator.objects.get(fiscal_year__year=2019, series="sn-ranking-foretagsklimat")
    page = client.get(reverse("goals:indicator", args=[indicator.pk])).content.decode()
    for name in ["Bollebygd", "Borås", "Vårgårda", "Varberg"]:
        assert name in page


def test_unit_submits_and_director_approves_then_unit_is_locked_out(client, demo_data):
    from federation.models import FollowUp, Unit
    from goals.models import Submission

    navet = Unit.objects.get(name="Navet science center")
    helar = FollowUp.objects.get(fiscal_year__year=2019, kind="annual")
    login(client, "navet")
    client.post(reverse("goals:submit"), {"unit": navet.pk, "follow_up": helar.pk})
    submission = Submission.objects.get(unit=navet, follow_up=helar)

    login(client, "navet")
    assert client.post(reverse("goals:approve", args=[submission.pk])).status_code == 403

    login(client, "direktor")
    page = client.get(reverse("goals:my_unit"), {"enhet": navet.pk, "year": 2019}).content.decode()
    assert "Godkänn och lås" in page
    client.post(reverse("goals:approve", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.locked

    login(client, "navet")
    activity = Assessment.objects.get(activity__code="navet-samordning-5").activity
    prefix = f"aktivitet-{activity.pk}"
    response = client.post(
        reverse("goals:assessment_update", args=["aktivitet", activity.pk]),
        {f"{prefix}-follow_up": helar.pk, f"{prefix}-status": Status.MET, f"{prefix}-text": "Sent"},
        follow=True,
    )
    assert "låst" in response.content.decode()
    assert Assessment.objects.get(activity=activity).status == Status.NOT_MET
