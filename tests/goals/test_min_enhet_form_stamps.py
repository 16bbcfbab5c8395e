"""Min enhet renders each shape of short form once a page and stamps it per card: the stamped fields are the
fields the form itself renders, for every status, text and shape of mätetal."""

import pytest
from django.test import RequestFactory

from federation.models import FollowUp, Municipality
from goals.cards import UnitCardMaker, fields_html
from goals.forms import AssessmentForm, OutcomeForm
from goals.models import Indicator, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def maker(demo_data):
    request = RequestFactory().get("/mal/min-enhet/")
    follow_ups = list(FollowUp.objects.filter(fiscal_year__year=2019))
    return UnitCardMaker(
        request,
        follow_ups=follow_ups,
        current=follow_ups[-1],
        municipalities=list(Municipality.objects.all()),
    )


def test_the_stamped_assessment_fields_are_the_forms_own(maker):
    for status in ["", *Status.values]:
        for text in ("", 'Klart <b>&</b> "citerat"\nRad två', "__prefix__ och __text__"):
            form = AssessmentForm(
                prefix="aktivitet-7",
                follow_ups=maker.follow_ups,
                initial_follow_up=maker.current,
                initial={"status": status, "text": text},
            )
            assert maker.assessment_fields("aktivitet-7", status, text) == str(fields_html(form))


def test_the_stamped_outcome_fields_are_the_forms_own_for_every_shape(maker):
    shapes = {}
    for indicator in Indicator.objects.all():
        shapes.setdefault((indicator.is_share, indicator.dimension), indicator)
    assert len(shapes) >= 2
    for indicator in shapes.values():
        form = OutcomeForm(
            prefix=f"utfall-{indicator.pk}",
            indicator=indicator,
            follow_ups=maker.follow_ups,
            initial_follow_up=maker.current,
            municipalities=maker.municipalities,
        )
        assert maker.outcome_fields(indicator) == str(fields_html(form))
