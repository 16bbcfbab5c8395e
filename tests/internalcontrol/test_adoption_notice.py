"""The kontrollansvariga are told once when a plan they have checks in is adopted: their kontrollmoment with
the number of checks for the year and the first due date, through the reminder sweep and a real SMTP server."""

import datetime

import pytest
from django.utils import timezone

from federation.models import ReminderSent
from federation.reminders.services import reminder_mail_send, reminders_sweep
from internalcontrol.services import plan_adopt
from tests.factories import DecisionFactory, FiscalYearFactory, RoleAssignmentFactory, RoleFactory, UserFactory

from .factories import ControlPlanFactory, ControlPointFactory, ReviewAreaFactory, RiskFactory

pytestmark = pytest.mark.django_db


def sweep_and_send(today):
    result = reminders_sweep(today=today)
    for mail_id in result.mail_ids:
        reminder_mail_send(mail_id=mail_id)
    return result.mail_ids


def test_each_kontrollansvarig_gets_their_checks_once_when_the_plan_is_adopted(smtp_server):
    chef, ekonom = RoleFactory(name="Administrativ chef"), RoleFactory(name="Ekonom")
    RoleAssignmentFactory(role=chef, user=UserFactory(username="chef"))
    RoleAssignmentFactory(role=ekonom, user=UserFactory(username="ekonom"))
    plan = ControlPlanFactory(fiscal_year=FiscalYearFactory(year=2021))
    area = ReviewAreaFactory(plan=plan, number=3, name="Attest")
    attest = ControlPointFactory(
        area=area, order=1, frequency_text="Kvartalsvis", description="Attestlistor", responsible_role=chef
    )
    invoices = ControlPointFactory(
        area=area, order=2, frequency_text="1 gång/år", description="Fakturor", responsible_role=ekonom
    )
    RiskFactory(plan=plan, points=[attest, invoices])
    adopted_on = datetime.date(2020, 12, 4)
    plan_adopt(plan=plan, decision=DecisionFactory(date=adopted_on), now=timezone.now())

    today = timezone.localdate()
    assert len(sweep_and_send(today)) == 2
    assert sweep_and_send(today) == []
    by_recipient = {m["To"]: m for m in smtp_server.messages}
    assert sorted(by_recipient) == ["chef@example.org", "ekonom@example.org"]
    chef_text = by_recipient["chef@example.org"].get_body(preferencelist=("plain",)).get_content()
    assert "Antagen internkontrollplan: dina kontroller" in chef_text
    assert (
        "Internkontrollplan 2021: 3. Attest: Attestlistor – 4 kontroller 2021 (Kvartalsvis), "
        "den första senast 2021-03-31" in chef_text
    )
    assert "/internkontroll/mina-kontroller/?year=2021" in chef_text
    assert "Fakturor" not in chef_text
    ekonom_html = by_recipient["ekonom@example.org"].get_body(preferencelist=("html",)).get_content()
    assert "Fakturor – 1 kontroll 2021 (1 gång/år), den första senast 2021-12-31" in ekonom_html


def test_a_plan_adopted_long_ago_sends_no_notice(smtp_server):
    chef = RoleFactory(name="Administrativ chef")
    RoleAssignmentFactory(role=chef, user=UserFactory(username="chef"))
    plan = ControlPlanFactory(fiscal_year=FiscalYearFactory(year=2021))
    point = ControlPointFactory(area=ReviewAreaFactory(plan=plan), frequency_text="1 gång/år", responsible_role=chef)
    RiskFactory(plan=plan, points=[point])
    long_ago = timezone.now() - datetime.timedelta(days=90)
    plan_adopt(plan=plan, decision=DecisionFactory(date=datetime.date(2020, 12, 4)), now=long_ago)
    sweep_and_send(timezone.localdate())  # (the checks themselves, overdue by now, are reminded of)
    assert not ReminderSent.objects.filter(stage=ReminderSent.Stage.ADOPTED).exists()
    assert "Antagen internkontrollplan" not in "".join(m.as_string() for m in smtp_server.messages)
