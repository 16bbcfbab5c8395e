"""Each user's main path, end to end in a real browser, with a screenshot per step."""

import datetime
import re

import docx
import pytest

from config.celery import app as celery_app
from federation.models import Decision, DecisionBody
from goals.models import Assessment, Indicator, Outcome, Status
from internalcontrol import services as ic_services
from internalcontrol.models import Action, Check, ControlPlan, Deviation
from tests.services import celery_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_administrativ_chef_logs_a_check_with_a_remark_and_an_atgard(open_session):
    session = open_session()
    session.login("adminchef")
    page = session.page
    # lands on Mina kontroller
    assert page.get_by_role("heading", level=1).inner_text().startswith("Mina kontroller")
    session.shot("mina-kontroller")

    page.get_by_role("link", name="Registrera", exact=True).first.click()
    page.wait_for_load_state()
    check = Check.objects.get(pk=int(re.search(r"/kontroll/(\d+)/registrera/", page.url).group(1)))
    session.shot("formular")

    page.get_by_label("Med anmärkning").check()
    page.get_by_label("Genomförd:", exact=True).fill(check.due_date.isoformat())
    page.get_by_label("Allvarlighetsgrad (vid anmärkning)").select_option(label="Medel")
    page.get_by_label("Urval/stickprov").fill("Tio leverantörsfakturor från mars")
    page.get_by_label("Avvikelse (vid anmärkning)").fill("Två fakturor saknade attest")
    page.get_by_label("Åtgärd:", exact=True).fill("Påminn attestanterna och följ upp i september")
    session.shot("ifyllt")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()

    # the check page shows the result, the avvikelse and the åtgärd with its default deadline
    assert page.get_by_role("status").inner_text().startswith("Resultatet är registrerat")
    assert page.get_by_text("Två fakturor saknade attest").is_visible()
    session.shot("registrerad")
    check.refresh_from_db()
    assert (check.result, check.severity, check.performed_by.username) == ("remark", "medium", "adminchef")
    deviation = Deviation.objects.get(check_item=check)
    action = Action.objects.get(deviation=deviation)
    assert deviation.description == "Två fakturor saknade attest"
    assert action.description == "Påminn attestanterna och följ upp i september"
    assert action.responsible.username == "adminchef"
    assert 180 <= (action.deadline - check.performed_on).days <= 184  # six months after the check
    assert page.get_by_text(f"senast {action.deadline.isoformat()}").is_visible()


def test_the_navet_lead_updates_an_outcome_and_status_and_sees_the_suggestion(open_session):
    indicator = Indicator.objects.select_related("activity").get(
        fiscal_year__year=2019, name="Elever i teman om programmering"
    )
    activity = indicator.activity
    Assessment.objects.filter(activity=activity).delete()
    Outcome.objects.filter(indicator=indicator).delete()

    session = open_session()
    session.login("navet")
    page = session.page
    assert page.get_by_role("heading", level=1).inner_text().startswith("Min enhet: Navet science center")
    session.goto("/mal/min-enhet/?year=2019")  # the demo's year in progress is today's; this flow is in 2019
    session.shot("min-enhet")

    section = page.locator(f"#aktivitet-{activity.pk}")
    section.scroll_into_view_if_needed()
    section.get_by_text("Registrera utfall").click()
    section.get_by_label("Period").select_option(label="Helår 2019")
    section.get_by_label("Utfall").fill("1300")
    session.shot("utfall")
    section.get_by_role("button", name="Spara utfall").click()
    page.wait_for_load_state()
    assert "Utfallet för ”Elever i teman om programmering” är sparat." in page.get_by_role("status").inner_text()

    # the numbers suggest "Delvis uppfyllt" (1 300 of 1 500), in words beside the colour
    section = page.locator(f"#aktivitet-{activity.pk}")
    suggestion = section.locator(".suggestion")
    assert suggestion.inner_text() == "Utfallet för Helår 2019 föreslår: Delvis uppfyllt"
    session.shot("forslag")

    section.get_by_text("Uppdatera bedömning").click()
    status = section.get_by_label("Bedömning")
    assert status.input_value() == Status.PARTLY_MET  # starts at the suggestion
    status.select_option(label="Uppfyllt")
    section.get_by_label("Resultat").fill("1 300 elever; fler anmälda till våren")
    section.get_by_role("button", name="Spara bedömning").click()
    page.wait_for_load_state()
    session.shot("bedomning")

    assessment = Assessment.objects.get(activity=activity, follow_up__kind="annual")
    assert (assessment.status, assessment.suggested_status, assessment.author.username) == (
        Status.MET,
        Status.PARTLY_MET,
        "navet",
    )
    section = page.locator(f"#aktivitet-{activity.pk}")
    # one suggestion on the card, and it says the assessment differs from it
    assert section.locator(".suggestion").count() == 1
    assert section.locator(".suggestion").inner_text() == (
        "Utfallet för Helår 2019 föreslår: Delvis uppfyllt – bedömningen avviker"
    )


def test_the_forbundsdirektor_adopts_a_plan_and_exports_the_year_report(open_session, tmp_path, settings):
    # a draft plan for 2021, copied from 2020, and the Direktion's decision to adopt it
    draft = ic_services.plan_copy_to_year(plan=ControlPlan.objects.get(fiscal_year__year=2020), year=2021)
    decision = Decision.objects.create(
        body=DecisionBody.objects.get(is_board=True),
        date=datetime.date(2020, 12, 4),
        paragraph="§ 77",
        subject="Internkontrollplan 2021",
        kind=Decision.Kind.CONTROL_PLAN,
    )

    session = open_session()
    session.login("direktor")
    page = session.page
    assert page.get_by_role("heading", level=1).inner_text().startswith("Översikt")
    session.shot("oversikt")

    session.goto("/admin/internalcontrol/controlplan/")
    page.locator(f'input[name="_selected_action"][value="{draft.pk}"]').check()
    page.get_by_label("Åtgärd:").select_option(label="Anta plan")
    page.get_by_role("button", name="Utför").click()
    page.wait_for_load_state()
    # the admin action leads to the förbundsdirektör's page: choose the decision, confirm what is locked
    page.get_by_label("Direktionens beslut").select_option(value=str(decision.pk))
    session.shot("anta-plan")
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_load_state()
    assert "Direktionen 2020-12-04, § 77" in page.locator(".plan-confirm").inner_text()
    session.shot("anta-plan-bekrafta")
    page.get_by_role("button", name="Anta planen").click()
    page.wait_for_load_state()
    assert "är antagen av Direktionen 2020-12-04, § 77" in page.locator(".messages").inner_text()
    session.shot("antagen")
    draft.refresh_from_db()
    assert draft.status == ControlPlan.Status.ADOPTED and draft.decision_id == decision.pk
    assert Check.objects.filter(control_point__area__plan=draft).count() > 0

    # the 2019 report as Word: a direct download
    session.goto("/rapporter/?year=2019")
    session.shot("rapporter")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Exportera Word (DOCX)").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    assert path.suffix == ".docx"
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "4 Måluppfyllelse" in headings
    assert any("Intern kontroll" in h for h in headings)
    assert any("Uppföljning av intern kontrollplan för 2019 är genomförd" in p.text for p in document.paragraphs)

    # and as PDF: large, so it is made by a real worker while the page shows progress
    with celery_worker(extra_env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)}) as queue:
        default_queue = celery_app.conf.task_default_queue
        celery_app.conf.task_default_queue = queue
        try:
            session.goto("/rapporter/?year=2019")
            page.get_by_role("button", name="Exportera PDF").click()
            page.wait_for_load_state()
            session.shot("pdf-i-bakgrunden")
            download_link = page.get_by_role("link", name="Ladda ner")
            download_link.wait_for(timeout=180_000)
        finally:
            celery_app.conf.task_default_queue = default_queue
    session.shot("pdf-klar")
    with page.expect_download() as download_info:
        download_link.click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    assert len(pdf) > 20_000


def test_a_revisor_who_tries_to_change_something_is_refused(open_session):
    check = Check.objects.filter(result="", control_point__area__plan__fiscal_year__year=2020).order_by("due_date")[0]
    session = open_session()
    session.login("revisor")
    page = session.page
    assert page.get_by_role("heading", level=1).inner_text().startswith("Översikt")

    # the check page offers no way to log it
    session.goto(f"/internkontroll/kontroll/{check.pk}/")
    assert page.get_by_role("link", name="Registrera resultat").count() == 0
    session.shot("kontroll-utan-knapp")

    # and going to the form directly is refused, in Swedish
    response = session.goto(f"/internkontroll/kontroll/{check.pk}/registrera/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Åtkomst nekad"
    session.shot("nekad")

    # Min enhet has nothing to change, the admin is closed
    session.goto("/mal/min-enhet/")
    assert page.get_by_role("button", name="Spara bedömning").count() == 0
    session.goto("/admin/internalcontrol/check/")
    assert "/admin/login/" in page.url  # not staff: the admin asks for another account
    session.shot("admin")

    check.refresh_from_db()
    assert check.result == "" and check.performed_on is None
