"""Told when something waits, exactly once, through the reminder sweep and a real SMTP server: the
förbundsdirektör when units submit (one mail listing all new submissions), the unit's lead when the
follow-up is sent back (with the comment) or approved."""

import pytest
from django.utils import timezone

from federation.reminders.services import reminder_mail_send, reminders_sweep
from goals.services import follow_up_approve, follow_up_send_back, follow_up_submit
from tests.factories import FiscalYearFactory, RoleAssignmentFactory, RoleFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def sweep_and_send(today):
    result = reminders_sweep(today=today)
    for mail_id in result.mail_ids:
        reminder_mail_send(mail_id=mail_id)
    return result.mail_ids


def body(message, subtype):
    return message.get_body(preferencelist=(subtype,)).get_content()


@pytest.fixture
def office():
    director = RoleAssignmentFactory(
        role=RoleFactory(name="Förbundsdirektör", is_director=True), user=UserFactory(username="dir")
    ).user
    navet, mc = UnitFactory(name="Navet"), UnitFactory(name="Medarbetarcentrum")
    lead = RoleAssignmentFactory(role=navet.lead_role, user=UserFactory(username="lead")).user
    mc_lead = RoleAssignmentFactory(role=mc.lead_role, user=UserFactory(username="mclead")).user
    annual = FiscalYearFactory(year=2019).follow_ups.get(kind="annual")
    return {"director": director, "navet": navet, "mc": mc, "lead": lead, "mc_lead": mc_lead, "annual": annual}


def test_the_director_gets_one_mail_listing_the_new_submissions_once_over_two_sweeps(office, smtp_server):
    today = timezone.localdate()
    follow_up_submit(unit=office["navet"], follow_up=office["annual"], user=office["lead"])
    follow_up_submit(unit=office["mc"], follow_up=office["annual"], user=office["mc_lead"])

    assert len(sweep_and_send(today)) == 1
    assert sweep_and_send(today) == []  # the second sweep sends nothing
    (message,) = smtp_server.messages
    assert message["To"] == "dir@example.org"
    text, html = body(message, "plain"), body(message, "html")
    assert "Inskickade uppföljningar att godkänna" in text
    assert "Navet: Helår 2019 inskickad av" in text and "Medarbetarcentrum: Helår 2019 inskickad av" in text
    assert "/mal/att-godkanna/" in text and 'href="http' in html and "/mal/att-godkanna/" in html


def test_the_lead_is_told_of_the_send_back_with_the_comment_and_of_the_approval_each_once(office, smtp_server):
    today = timezone.localdate()
    submission = follow_up_submit(unit=office["navet"], follow_up=office["annual"], user=office["lead"])
    sweep_and_send(today)  # the director's notice
    follow_up_send_back(submission=submission, user=office["director"], comment="Ange utfallet mot målet 500.")
    sweep_and_send(today)
    sweep_and_send(today)
    returned = [m for m in smtp_server.messages if m["To"] == "lead@example.org"]
    assert len(returned) == 1
    assert "Navet: Helår 2019 är skickad tillbaka av" in body(returned[0], "plain")
    assert "Kommentar: Ange utfallet mot målet 500." in body(returned[0], "plain")
    assert "Uppföljningar som skickats tillbaka" in body(returned[0], "html")

    # resubmitted: the director is told again (a new submission), then the approval goes to the lead once
    submission = follow_up_submit(unit=office["navet"], follow_up=office["annual"], user=office["lead"])
    sweep_and_send(today)
    follow_up_approve(submission=submission, user=office["director"])
    sweep_and_send(today)
    sweep_and_send(today)
    to_director = [m for m in smtp_server.messages if m["To"] == "dir@example.org"]
    to_lead = [m for m in smtp_server.messages if m["To"] == "lead@example.org"]
    assert len(to_director) == 2 and len(to_lead) == 2
    assert "Navet: Helår 2019 är godkänd av" in body(to_lead[1], "plain")
    assert "Godkända uppföljningar" in body(to_lead[1], "plain")
