"""The permission matrix: every role × every page and action, against ONE table.

MATRIX below is the table in the user guide, docs/anvandarguide.md ("## Vem får göra vad"); a test
checks the guide shows exactly this table. Each role then walks every GET page of the
goals, internalcontrol and federation URL confs and every state-changing POST
with the demo data: an allowed action must succeed and change the database, a
refused one must answer 403 (or send to the login page) and change nothing.
Every cell that differs from the table is reported at once."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import get_resolver, reverse
from django.utils import timezone

from federation.models import FollowUp, ReportExport, Unit
from goals.models import Activity, Assessment, Indicator, Outcome, Strategy, Submission
from internalcontrol.models import Action, Check, ControlPlan, ControlPoint, Deviation, EvidencePack

pytestmark = pytest.mark.django_db

USER_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "anvandarguide.md"

# Columns: (heading, demo user or None for anonymous)
ROLES = [
    ("Förbundsdirektör", "direktor"),
    ("Administrativ chef", "adminchef"),
    ("Enhetsledare", "navet"),
    ("Kontrollansvarig", "ekonomnavet"),
    ("Revisor", "revisor"),
    ("Inloggad utan roll", "utanroll"),
    ("Anonym", None),
]
# Not a demo user: an account with no role and no group, created by the test.
ROLELESS = "utanroll"

# "ja" allowed, "nej" refused, "egna" only the user's own objects (checks of roles they hold,
# åtgärder they are responsible for) — every other object is refused.
VIEW = "Se sidorna (mål, internkontroll, kontroller, underlag, åtgärder)"
LOG_CHECK = "Registrera en kontroll"
CORRECT = "Ändra en registrerad kontroll (med skäl), lägga till underlag"
DEVIATION = "Registrera avvikelse och åtgärd, markera åtgärd som genomförd"
PLAN = "Ändra och kopiera internkontrollplanen (admin)"
ADOPT = "Anta och avrapportera internkontrollplanen efter Direktionens beslut"
OWN_GOALS = "Uppdatera egen verksamhets bedömningar och utfall, skicka in uppföljningen"
OTHER_GOALS = "Uppdatera en annan verksamhets mål, strategier, aktiviteter och utfall"
APPROVE = "Godkänna en verksamhets uppföljning eller skicka tillbaka den (Att godkänna)"
REPORT = "Se och exportera årsredovisningen (Rapporter)"
ADMIN = "Administrationsgränssnittet (/admin/)"
IMPORT_PLAN = "Importera internkontrollplan (admin)"
IMPORT_GOALS = "Importera aktiviteter och utfall (admin)"
IMPORT_GOAL_PLAN = "Importera hela målplanen (admin)"
SETUP_ORGANISATION = "Lägga upp organisationen från mallen (admin)"
LOCKED = "Ändra en kontroll i en avrapporterad internkontrollplan"
EVIDENCE_PACK = "Skapa och hämta revisorernas bevispaket (Internkontroll › Bevispaket)"

MATRIX = {
    VIEW: ["ja", "ja", "ja", "ja", "ja", "nej", "nej"],
    LOG_CHECK: ["ja", "egna", "nej", "egna", "nej", "nej", "nej"],
    CORRECT: ["ja", "egna", "nej", "egna", "nej", "nej", "nej"],
    DEVIATION: ["ja", "egna", "nej", "egna", "nej", "nej", "nej"],
    PLAN: ["ja", "ja", "nej", "nej", "nej", "nej", "nej"],
    ADOPT: ["ja", "nej", "nej", "nej", "nej", "nej", "nej"],
    OWN_GOALS: ["ja", "nej", "ja", "nej", "nej", "nej", "nej"],
    OTHER_GOALS: ["ja", "nej", "nej", "nej", "nej", "nej", "nej"],
    APPROVE: ["ja", "nej", "nej", "nej", "nej", "nej", "nej"],
    REPORT: ["ja", "nej", "nej", "nej", "ja", "nej", "nej"],
    EVIDENCE_PACK: ["ja", "nej", "nej", "nej", "ja", "nej", "nej"],
    ADMIN: ["ja", "ja", "nej", "nej", "nej", "nej", "nej"],
    IMPORT_PLAN: ["ja", "ja", "nej", "nej", "nej", "nej", "nej"],
    IMPORT_GOALS: ["ja", "nej", "nej", "nej", "nej", "nej", "nej"],
    IMPORT_GOAL_PLAN: ["ja", "nej", "nej", "nej", "nej", "nej", "nej"],
    SETUP_ORGANISATION: ["ja", "nej", "nej", "nej", "nej", "nej", "nej"],
    LOCKED: ["ja", "nej", "nej", "nej", "nej", "nej", "nej"],
}


def matrix_markdown() -> str:
    lines = ["| Handling | " + " | ".join(heading for heading, _ in ROLES) + " |"]
    lines.append("|---" * (len(ROLES) + 1) + "|")
    for action, cells in MATRIX.items():
        lines.append(f"| {action} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def expected(action, username, owners=frozenset()):
    cell = MATRIX[action][[user for _, user in ROLES].index(username)]
    return cell == "ja" or (cell == "egna" and username in owners)


def test_the_user_guide_documents_exactly_this_matrix():
    assert matrix_markdown() in USER_GUIDE.read_text(encoding="utf-8")


# --- The demo objects the probes use ------------------------------------------------


def user(username):
    return get_user_model().objects.get(username=username)


def event_point(role):
    """An event-driven kontrollmoment ("Vid varje nyanställning") of ``role`` in an open check's plan."""
    check = open_check(role)
    return ControlPoint.objects.create(
        area=check.control_point.area,
        order=900,
        description="Introduktion av nyanställda",
        frequency_text="Vid varje nyanställning",
        per_year=0,
        event_driven=True,
        responsible_role=check.control_point.responsible_role,
    )


def open_check(role):
    return (
        Check.objects.filter(
            control_point__responsible_role__name=role,
            control_point__area__plan__fiscal_year__year=2020,
            performed_on__isnull=True,
        )
        .order_by("due_date", "pk")
        .first()
    )


def logged_check(role, result="ok"):
    """The role's last check of 2020, logged by its holder (with an avvikelse when ``result`` is a remark)."""
    from internalcontrol.services import check_log_result, deviation_record

    check = (
        Check.objects.filter(
            control_point__responsible_role__name=role,
            control_point__area__plan__fiscal_year__year=2020,
        )
        .order_by("-due_date", "-pk")
        .first()
    )
    holder = user({"Administrativ chef": "adminchef", "Ekonom Navet": "ekonomnavet"}[role])
    if check.performed_on is None:
        severity = "low" if result == "remark" else ""
        check_log_result(check=check, user=holder, result=result, severity=severity, performed_on=timezone.localdate())
        if result == "remark":
            deviation_record(check=check, user=holder, description="Attest saknas", action_description="Påminn")
    return Check.objects.get(pk=check.pk)


def reported_check():
    return Check.objects.filter(control_point__area__plan__fiscal_year__year=2019).order_by("pk").first()


def navet_unit():
    return Unit.objects.get(name="Navet science center")


def navet_activity():
    return Activity.objects.filter(unit=navet_unit(), fiscal_year__year=2019).order_by("pk").first()


def other_activity():
    return Activity.objects.filter(fiscal_year__year=2019).exclude(unit=navet_unit()).order_by("pk").first()


def plain_indicator(**owner):
    return (
        Indicator.objects.filter(fiscal_year__year=2019, is_share=False, dimension="", **owner).order_by("pk").first()
    )


def other_indicator():
    navet = navet_unit().pk
    candidates = Indicator.objects.filter(fiscal_year__year=2019, is_share=False, dimension="").order_by("pk")
    return next(i for i in candidates if i.owner_unit_ids() and navet not in i.owner_unit_ids())


def annual_2019():
    return FollowUp.objects.get(fiscal_year__year=2019, kind="annual")


def is_login_redirect(response):
    return response.status_code == 302 and any(
        part in response["Location"] for part in ("/accounts/login/", "/admin/login/")
    )


def refused(response):
    return response.status_code == 403 or is_login_redirect(response)


# --- GET: every page of the three URL confs ------------------------------------------------


def url_kwargs(username):
    """Arguments for every named URL (a new URL without an entry here fails the walk)."""
    check = open_check("Administrativ chef")
    logged = logged_check("Administrativ chef", result="remark")
    action = Action.objects.filter(status="open", responsible__username="adminchef").order_by("pk").first()
    activity = navet_activity()
    requester = user(username) if username else user("direktor")
    export = ReportExport.objects.create(requested_by=requester, fiscal_year=annual_2019().fiscal_year, format="xlsx")
    pack = EvidencePack.objects.create(requested_by=requester, fiscal_year=annual_2019().fiscal_year)
    plan_2020 = ControlPlan.objects.get(fiscal_year__year=2020, is_current=True)
    return {
        "goals:index": {},
        "goals:my_unit": {},
        "goals:indicator": {"pk": plain_indicator(activity__unit=navet_unit()).pk},
        "goals:item": {"kind": "aktivitet", "pk": activity.pk},
        "internalcontrol:index": {},
        "internalcontrol:my-checks": {},
        "internalcontrol:check-detail": {"pk": check.pk},
        "internalcontrol:actions": {},
        "internalcontrol:risks": {},
        "internalcontrol:overview": {},
        "internalcontrol:check-log": {"pk": check.pk},
        "internalcontrol:check-log-event": {"pk": event_point("Administrativ chef").pk},
        "internalcontrol:check-correct": {"pk": logged.pk},
        "internalcontrol:evidence-add": {"pk": logged.pk},
        "internalcontrol:action-add": {"pk": logged.deviations.get().pk},
        "internalcontrol:action-done": {"pk": action.pk},
        "federation:home": {},
        "federation:landing": {},
        "federation:no_role": {},
        "federation:reports": {},
        "federation:report_preview": {},
        "federation:report_export": {"pk": export.pk},
        "federation:report_export_progress": {"pk": export.pk},
        "goals:approvals": {},
        "goals:submission": {"pk": waiting_submission().pk},
        "internalcontrol:plan-adopt": {"pk": ControlPlan.objects.get(fiscal_year__year=2020, is_current=True).pk},
        "internalcontrol:plan-report": {"pk": ControlPlan.objects.get(fiscal_year__year=2020, is_current=True).pk},
        "internalcontrol:plan-adopt-draft": {"pk": plan_2020.pk},
        "internalcontrol:plan-report-draft": {"pk": plan_2020.pk},
        "internalcontrol:evidence-pack": {},
        "internalcontrol:evidence-pack-status": {"pk": pack.pk},
        "internalcontrol:evidence-pack-progress": {"pk": pack.pk},
    }


# POST-only URLs are walked by the POST probes below.
POST_ONLY = {
    "goals:submit",
    "goals:approve",
    "goals:approve_many",
    "goals:send_back",
    "goals:outcome_update",
    "goals:assessment_update",
    "federation:report_export_create",
}
# File downloads need a stored file; their rule is tested with the file (test_evidence_*).
DOWNLOADS = {
    "internalcontrol:evidence-download",
    "federation:report_download",
    "internalcontrol:evidence-pack-download",  # tests/internalcontrol/test_evidence_pack.py
}
# The start page after login: a redirect to where the user's work is; and the page a user without a role
# lands on (others are sent on to their start page). Ending on that page is being refused.
LANDINGS = {"federation:landing", "federation:no_role"}
NO_ROLE_PAGE = "/ingen-roll/"
GET_ROW = {
    "internalcontrol:check-log": (LOG_CHECK, frozenset({"adminchef"})),
    "internalcontrol:check-log-event": (LOG_CHECK, frozenset({"adminchef"})),
    "internalcontrol:check-correct": (CORRECT, frozenset({"adminchef"})),
    "internalcontrol:evidence-add": (CORRECT, frozenset({"adminchef"})),
    "internalcontrol:action-add": (DEVIATION, frozenset({"adminchef"})),
    "internalcontrol:action-done": (DEVIATION, frozenset({"adminchef"})),
    "federation:reports": (REPORT, frozenset()),
    "federation:report_preview": (REPORT, frozenset()),
    "federation:report_export": (REPORT, frozenset()),
    "federation:report_export_progress": (REPORT, frozenset()),
    "goals:approvals": (APPROVE, frozenset()),
    "goals:submission": (APPROVE, frozenset()),
    "internalcontrol:plan-adopt": (ADOPT, frozenset()),
    "internalcontrol:plan-report": (ADOPT, frozenset()),
    # The tjänsteskrivelse to the Direktion: the förbundsdirektör's, beside adopting and reporting.
    "internalcontrol:plan-adopt-draft": (ADOPT, frozenset()),
    "internalcontrol:plan-report-draft": (ADOPT, frozenset()),
    "internalcontrol:evidence-pack": (EVIDENCE_PACK, frozenset()),
    "internalcontrol:evidence-pack-status": (EVIDENCE_PACK, frozenset()),
    "internalcontrol:evidence-pack-progress": (EVIDENCE_PACK, frozenset()),
}


def url_names():
    resolver = get_resolver()
    names = []
    for namespace in ("goals", "internalcontrol", "federation"):
        _prefix, sub = resolver.namespace_dict[namespace]
        names += [f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)]
    return sorted(set(names))


def walk_pages(client, username):
    failures = []
    kwargs = url_kwargs(username)
    for name in url_names():
        if name in POST_ONLY or name in DOWNLOADS:
            continue
        url = reverse(name, kwargs=kwargs[name])
        action, owners = GET_ROW.get(name, (VIEW, frozenset()))
        if name in LANDINGS:
            # Redirects to the user's own start page; what counts is where it ends.
            response = client.get(url, follow=True)
            end = response.redirect_chain[-1][0] if response.redirect_chain else url
            no_role = end.startswith(NO_ROLE_PAGE)
            allowed = response.status_code == 200 and not end.startswith("/accounts/login/") and not no_role
            if not allowed and not no_role:
                response = client.get(url)
        else:
            response = client.get(url)
            allowed = response.status_code == 200
            no_role = False
        if not allowed and not no_role and not refused(response):
            failures.append(f"GET {name}: unexpected status {response.status_code}")
        elif allowed != expected(action, username, owners):
            failures.append(f"GET {name} ({action}): {'allowed' if allowed else 'refused'} ({response.status_code})")
    return failures


# --- POST: every state-changing action ------------------------------------------------------
# (action, owners, description, setup() -> (url, data, state())); state() reads what the POST may change.


def probe_log_check(role):
    def setup():
        check = open_check(role)
        data = {"result": "ok", "performed_on": "2020-06-30"}
        return (
            reverse("internalcontrol:check-log", args=[check.pk]),
            data,
            lambda: Check.objects.filter(pk=check.pk).values_list("result", "performed_on").get(),
        )

    return setup


def probe_deviation(role):
    def setup():
        check = open_check(role)
        data = {
            "result": "remark",
            "severity": "low",
            "performed_on": "2020-06-30",
            "deviation": "En faktura saknade attest.",
            "action": "Påminn om attestordningen.",
        }
        return reverse("internalcontrol:check-log", args=[check.pk]), data, lambda: Deviation.objects.count()

    return setup


def probe_correct(role_or_check):
    def setup():
        check = reported_check() if role_or_check is None else logged_check(role_or_check)
        data = {
            "result": "not_done",
            "performed_on": check.performed_on.isoformat(),
            "comment": "Rättad",
            "reason": "Matrisen prövar rättelsen",
        }
        return (
            reverse("internalcontrol:check-correct", args=[check.pk]),
            data,
            lambda: Check.objects.filter(pk=check.pk).values_list("result", "comment").get(),
        )

    return setup


def probe_evidence_add():
    from django.core.files.uploadedfile import SimpleUploadedFile

    check = logged_check("Administrativ chef")
    data = {
        "evidence": SimpleUploadedFile("matris.pdf", b"%PDF"),
        "period_start": "2020-01-01",
        "period_end": "2020-06-30",
    }
    return (
        reverse("internalcontrol:evidence-add", args=[check.pk]),
        data,
        lambda: check.evidence.count(),
    )


def probe_action_add():
    deviation = logged_check("Administrativ chef", result="remark").deviations.get()
    data = {"description": "En åtgärd till", "responsible": user("adminchef").pk}
    return reverse("internalcontrol:action-add", args=[deviation.pk]), data, lambda: deviation.actions.count()


def probe_action_done():
    # an åtgärd of a year not yet reported (its originals in the reported 2019 stay as they were, locked)
    action = (
        Action.objects.filter(status="open", responsible__username="adminchef", carried_to__isnull=True)
        .order_by("pk")
        .first()
    )
    return (
        reverse("internalcontrol:action-done", args=[action.pk]),
        {"comment": "Genomförd", "confirm": "on"},
        lambda: Action.objects.filter(pk=action.pk).values_list("status", flat=True).get(),
    )


def probe_plan_copy():
    plan = ControlPlan.objects.get(fiscal_year__year=2020, is_current=True)
    data = {"action": "copy_plan", "_selected_action": [plan.pk], "apply": "1", "year": "2021"}
    return reverse("admin:internalcontrol_controlplan_changelist"), data, lambda: ControlPlan.objects.count()


def probe_assessment(getter, kind="aktivitet"):
    def setup():
        item = getter()
        follow_up = annual_2019()
        prefix = f"{kind}-{item.pk}"
        data = {f"{prefix}-follow_up": follow_up.pk, f"{prefix}-status": "met", f"{prefix}-text": "Matris"}
        field = {"aktivitet": "activity", "strategi": "strategy"}[kind]
        return (
            reverse("goals:assessment_update", args=[kind, item.pk]),
            data,
            lambda: list(Assessment.objects.filter(**{field: item}).values_list("status", "text").order_by("pk")),
        )

    return setup


def other_strategy():
    navet = navet_unit().pk
    candidates = Strategy.objects.filter(fiscal_year__year=2019).prefetch_related("units").order_by("pk")
    return next(s for s in candidates if s.owner_unit_ids() and navet not in s.owner_unit_ids())


def navet_strategy():
    return Strategy.objects.filter(fiscal_year__year=2019, units=navet_unit()).order_by("pk").first()


def probe_outcome(indicator_getter):
    def setup():
        indicator = indicator_getter()
        prefix = f"utfall-{indicator.pk}"
        data = {f"{prefix}-follow_up": annual_2019().pk, f"{prefix}-value": "7", f"{prefix}-text": "Matris"}
        return (
            reverse("goals:outcome_update", args=[indicator.pk]),
            data,
            lambda: list(Outcome.objects.filter(indicator=indicator).values_list("value", "text").order_by("pk")),
        )

    return setup


def probe_submit():
    data = {"unit": navet_unit().pk, "follow_up": annual_2019().pk}
    return (
        reverse("goals:submit"),
        data,
        lambda: list(Submission.objects.values_list("unit_id", "state")),
    )


def probe_admin_activity_change():
    activity = other_activity()
    data = {k: ("" if v is None else v) for k, v in model_to_dict(activity).items()}
    data["title"] = activity.title + " (ändrad)"
    return (
        reverse("admin:goals_activity_change", args=[activity.pk]),
        data,
        lambda: Activity.objects.filter(pk=activity.pk).values_list("title", flat=True).get(),
    )


def waiting_submission():
    return Submission.objects.create(
        unit=navet_unit(),
        follow_up=annual_2019(),
        state=Submission.State.SUBMITTED,
        submitted_by=user("navet"),
        submitted_at=timezone.now(),
    )


def probe_send_back():
    submission = waiting_submission()
    return (
        reverse("goals:send_back", args=[submission.pk]),
        {"comment": "Komplettera texten om pedagogerna."},
        lambda: Submission.objects.filter(pk=submission.pk).values_list("state", flat=True).get(),
    )


def probe_plan_adopt():
    """Adopt a 2021 draft on the förbundsdirektör's page, by a decision of the Direktion from 2020 (confirmed)."""
    from federation.models import Decision, DecisionBody
    from internalcontrol.services import plan_copy_to_year

    draft = plan_copy_to_year(plan=ControlPlan.objects.get(fiscal_year__year=2020, is_current=True), year=2021)
    decision = Decision.objects.create(
        body=DecisionBody.objects.get(is_board=True),
        date=timezone.datetime(2020, 12, 4).date(),
        paragraph="§ 77",
        subject="Intern kontrollplan 2021",
        kind=Decision.Kind.CONTROL_PLAN,
    )
    return (
        reverse("internalcontrol:plan-adopt", args=[draft.pk]),
        {"decision": decision.pk, "confirm": "1"},
        lambda: ControlPlan.objects.filter(pk=draft.pk).values_list("status", flat=True).get(),
    )


def probe_approve():
    submission = waiting_submission()
    return (
        reverse("goals:approve", args=[submission.pk]),
        {},
        lambda: Submission.objects.filter(pk=submission.pk).values_list("state", flat=True).get(),
    )


def probe_plan_import():
    """Refused users only: nothing may be imported (the allowed import is tested with a real file)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"year": "2021", "file": SimpleUploadedFile("plan.csv", b"Granskningsomr\xc3\xa5de;Kontrollmoment\n")}
    return reverse("admin:internalcontrol_controlplan_import"), data, lambda: ControlPlan.objects.count()


def probe_evidence_pack():
    return reverse("internalcontrol:evidence-pack"), {"year": "2019"}, lambda: EvidencePack.objects.count()


POSTS = [
    (LOG_CHECK, {"adminchef"}, "log the Administrativ chef's check", probe_log_check("Administrativ chef")),
    (LOG_CHECK, {"ekonomnavet"}, "log the Ekonom Navet's check", probe_log_check("Ekonom Navet")),
    (DEVIATION, {"adminchef"}, "avvikelse on the Administrativ chef's check", probe_deviation("Administrativ chef")),
    (DEVIATION, {"ekonomnavet"}, "avvikelse on the Ekonom Navet's check", probe_deviation("Ekonom Navet")),
    (DEVIATION, {"adminchef"}, "mark the Administrativ chef's åtgärd done", probe_action_done),
    (DEVIATION, {"adminchef"}, "another åtgärd on the Administrativ chef's avvikelse", probe_action_add),
    (CORRECT, {"adminchef"}, "correct the Administrativ chef's logged check", probe_correct("Administrativ chef")),
    (CORRECT, {"ekonomnavet"}, "correct the Ekonom Navet's logged check", probe_correct("Ekonom Navet")),
    (CORRECT, {"adminchef"}, "add evidence to the Administrativ chef's logged check", probe_evidence_add),
    (LOCKED, set(), "correct a check of the reported 2019 plan", probe_correct(None)),
    (PLAN, set(), "copy the plan in the admin", probe_plan_copy),
    (OWN_GOALS, set(), "assess Navet's activity", probe_assessment(navet_activity)),
    (OWN_GOALS, set(), "assess Navet's strategy", probe_assessment(navet_strategy, "strategi")),
    (
        OWN_GOALS,
        set(),
        "outcome of Navet's mätetal",
        probe_outcome(lambda: plain_indicator(activity__unit=navet_unit())),
    ),
    (OWN_GOALS, set(), "submit Navet's follow-up", probe_submit),
    (OTHER_GOALS, set(), "assess another unit's activity", probe_assessment(other_activity)),
    (OTHER_GOALS, set(), "assess another unit's strategy", probe_assessment(other_strategy, "strategi")),
    (
        OTHER_GOALS,
        set(),
        "outcome of another unit's mätetal",
        probe_outcome(other_indicator),
    ),
    (OTHER_GOALS, set(), "change another unit's activity in the admin", probe_admin_activity_change),
    (APPROVE, set(), "approve Navet's follow-up", probe_approve),
    (APPROVE, set(), "send Navet's follow-up back", probe_send_back),
    (ADOPT, set(), "adopt a plan by the Direktion's decision", probe_plan_adopt),
    (IMPORT_PLAN, set(), "import a plan in the admin", probe_plan_import),
    (EVIDENCE_PACK, set(), "ask for the evidence pack of 2019", probe_evidence_pack),
]


def run_post(client, username, action, owners, description, setup):
    want = expected(action, username, frozenset(owners))
    if want and action == IMPORT_PLAN:
        return None
    url, data, state = setup()
    before = state()
    response = client.post(url, data)
    after = state()
    if refused(response):
        if after != before:
            return f"POST {description}: refused but the database changed ({before!r} → {after!r})"
        return f"POST {description} ({action}): refused, table says allowed" if want else None
    if response.status_code in (200, 302) and after != before:
        return None if want else f"POST {description} ({action}): allowed, table says refused"
    return f"POST {description}: status {response.status_code} and nothing changed (table says {want})"


def probe_report_export(client, username):
    from federation.reports.forms import ReportOptionsForm

    year = annual_2019().fiscal_year
    form = ReportOptionsForm(fiscal_year=year)
    data = {"year": year.year, "sections": form.fields["sections"].initial, "action": "xlsx"}
    before = ReportExport.objects.count()
    response = client.post(reverse("federation:report_export_create"), data)
    allowed = response.status_code == 200 and "attachment" in response.get("Content-Disposition", "")
    if not allowed and not refused(response):
        return f"POST report export: unexpected status {response.status_code}"
    if not allowed and ReportExport.objects.count() != before:
        return "POST report export: refused but an export was stored"
    if allowed != expected(REPORT, username):
        return f"POST report export: {'allowed' if allowed else 'refused'}"
    return None


def admin_pages(client, username):
    failures = []
    for action, url in (
        (ADMIN, reverse("admin:index")),
        (PLAN, reverse("admin:internalcontrol_controlplan_add")),
        (IMPORT_PLAN, reverse("admin:internalcontrol_controlplan_import")),
        (IMPORT_GOALS, reverse("admin:goals_activity_import")),
        (IMPORT_GOALS, reverse("admin:goals_outcome_import")),
        (IMPORT_GOAL_PLAN, reverse("admin:goals_directiongoal_import_plan")),
        (SETUP_ORGANISATION, reverse("admin:federation_federation_setup")),
        (SETUP_ORGANISATION, reverse("admin:federation_federation_template")),
    ):
        response = client.get(url)
        allowed = response.status_code == 200
        if not allowed and not refused(response):
            failures.append(f"GET {url}: unexpected status {response.status_code}")
        elif allowed != expected(action, username):
            failures.append(f"GET {url} ({action}): {'allowed' if allowed else 'refused'}")
    return failures


# --- The admin: add, change and delete of every registered model ------------------------------
# Generated from admin.site._registry: a model registered without a row here fails the test.
# Per model (add, change, delete): "-" nobody, "D" the förbundsdirektör, "DA" the direktör and the
# administrativ chef, "De" the direktör and, for the administrativ chef, only their own objects
# (checks of roles they hold, åtgärder they answer for). Everyone else never gets past the admin's door
# (MATRIX row ADMIN); the technical tables (Teknik) are for superusers only.
D, DA, DE, NOBODY = "D", "DA", "De", "-"
TECHNICAL = (NOBODY, NOBODY, NOBODY)
ADMIN_RIGHTS = {
    "auth.user": (D, D, D),
    "auth.group": TECHNICAL,
    "axes.accessattempt": TECHNICAL,
    "axes.accessfailurelog": TECHNICAL,
    "axes.accesslog": TECHNICAL,
    "django_celery_beat.clockedschedule": TECHNICAL,
    "django_celery_beat.crontabschedule": TECHNICAL,
    "django_celery_beat.intervalschedule": TECHNICAL,
    "django_celery_beat.periodictask": TECHNICAL,
    "django_celery_beat.solarschedule": TECHNICAL,
    "django_celery_results.groupresult": TECHNICAL,
    "django_celery_results.taskresult": TECHNICAL,
    "federation.federation": (D, D, D),
    "federation.municipality": (D, D, D),
    "federation.unit": (D, D, D),
    "federation.role": (D, D, D),
    "federation.roleassignment": (D, D, D),
    "federation.fiscalyear": (D, D, D),
    "federation.followup": (D, D, D),
    "federation.decisionbody": (D, D, D),
    "federation.decision": (DA, DA, D),
    "federation.remindersettings": (D, D, NOBODY),  # one row: added once, never deleted
    "federation.remindermail": (NOBODY, D, D),  # written by the sweep, never by hand
    "federation.remindersent": (NOBODY, D, D),
    "federation.reportexport": (NOBODY, D, D),
    "goals.overallgoal": (D, D, D),
    "goals.directiongoal": (D, D, D),
    "goals.strategy": (D, D, D),
    "goals.activity": (D, D, D),
    "goals.indicator": (D, D, D),
    "goals.outcome": (D, D, D),
    "goals.assessment": (D, D, D),
    "goals.submission": (D, D, D),
    "internalcontrol.controlplan": (DA, DA, DA),
    "internalcontrol.reviewarea": (DA, DA, DA),
    "internalcontrol.controlgroup": (DA, DA, DA),
    "internalcontrol.controlpoint": (DA, DA, DA),
    "internalcontrol.risk": (DA, DA, DA),
    "internalcontrol.check": (DE, DE, DE),  # add: refused on submit for a role not held (test_admin_side_doors)
    "internalcontrol.evidence": (DE, DE, DE),
    "internalcontrol.deviation": (DE, DE, DE),
    "internalcontrol.action": (DE, DE, DE),
    "internalcontrol.plansignoff": (NOBODY, NOBODY, D),  # signed through services.plan_sign_off only
}


def owned_samples():
    """(own, someone else's) object of the models with an owner, for the administrativ chef."""
    from internalcontrol import services
    from internalcontrol.models import Evidence

    own_check, other_check = open_check("Administrativ chef"), open_check("Ekonom Navet")
    period = {"period_start": "2020-01-01", "period_end": "2020-03-31"}
    own_evidence = Evidence.objects.create(check_item=own_check, file="a.pdf", uploaded_by=user("adminchef"), **period)
    other_evidence = Evidence.objects.create(
        check_item=other_check, file="b.pdf", uploaded_by=user("ekonomnavet"), **period
    )
    services.check_log_result(
        check=other_check,
        user=user("ekonomnavet"),
        result="remark",
        severity="low",
        performed_on=datetime.date(2020, 6, 30),
    )
    other_deviation = services.deviation_record(
        check=other_check, user=user("ekonomnavet"), description="Attest saknas.", action_description="Påminn."
    )
    own_action = (  # in a plan not yet reported (an open åtgärd copied on stays open, locked, in its old year)
        Action.objects.filter(
            status="open", responsible__username="adminchef", control_point__area__plan__status="adopted"
        )
        .order_by("pk")
        .first()
    )
    own_remark = (
        Check.objects.filter(pk__gt=own_check.pk)
        .filter(
            control_point__responsible_role__name="Administrativ chef",
            control_point__area__plan__fiscal_year__year=2020,
            performed_on__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    services.check_log_result(
        check=own_remark,
        user=user("adminchef"),
        result="remark",
        severity="low",
        performed_on=datetime.date(2020, 6, 30),
    )
    own_deviation = services.deviation_record(check=own_remark, user=user("adminchef"), description="Kvitto saknas.")
    plan = ControlPlan.objects.get(fiscal_year__year=2020, is_current=True)  # adopted, not reported: open
    area = plan.areas.order_by("number").first()
    return {
        "internalcontrol.controlplan": (plan, plan),
        "internalcontrol.reviewarea": (area, area),
        "internalcontrol.controlgroup": (plan.groups.order_by("pk").first(),) * 2,
        "internalcontrol.controlpoint": (area.points.order_by("pk").first(),) * 2,
        "internalcontrol.risk": (plan.risks.order_by("pk").first(),) * 2,
        "internalcontrol.check": (own_check, open_check("Ekonom Navet")),
        "internalcontrol.evidence": (own_evidence, other_evidence),
        "internalcontrol.deviation": (own_deviation, other_deviation),
        "internalcontrol.action": (own_action, other_deviation.actions.get()),
    }


def admin_expected(cell, username, is_own):
    if username == "direktor":
        return cell != NOBODY
    if username == "adminchef":
        return cell == DA or (cell == DE and is_own is not False)
    return False


def admin_rights(client, username):
    """Each registered model's admin, asked as the admin asks it (the site's door, then the model's
    add/change/delete permission for an object), against ADMIN_RIGHTS."""
    from django.contrib import admin
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user(username) if username else AnonymousUser()
    door = admin.site.has_permission(request)
    owned = owned_samples()
    failures = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label not in ADMIN_RIGHTS:
            failures.append(f"admin {label}: no row in ADMIN_RIGHTS")
            continue
        sample = model._default_manager.order_by("pk").first()
        own, other = owned.get(label, (sample, sample))
        for verb, cell in zip(("add", "change", "delete"), ADMIN_RIGHTS[label], strict=True):
            if verb == "add":
                cases = [(None, None)]
            elif own is other:
                cases = [(own, None)]
            else:
                cases = [(own, True), (other, False)]
            for obj, is_own in cases:
                if verb == "add":
                    allowed = door and model_admin.has_add_permission(request)
                else:
                    allowed = door and getattr(model_admin, f"has_{verb}_permission")(request, obj)
                if allowed != admin_expected(cell, username, is_own):
                    whose = {None: "", True: " (own)", False: " (another's)"}[is_own]
                    failures.append(f"admin {verb} {label}{whose}: {'allowed' if allowed else 'refused'}")
    return failures


@pytest.mark.parametrize("username", [username for _, username in ROLES], ids=lambda u: u or "anonym")
def test_every_role_gets_exactly_what_the_matrix_says(client, demo_data, username, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    if username == ROLELESS:
        get_user_model().objects.create_user(ROLELESS, first_name="Utan", last_name="Roll")
    if username:
        client.force_login(user(username))
    failures = []
    for run in (walk_pages, admin_pages, admin_rights):
        sid = transaction.savepoint()
        failures += run(client, username)
        transaction.savepoint_rollback(sid)
    for action, owners, description, setup in POSTS:
        sid = transaction.savepoint()
        failure = run_post(client, username, action, owners, description, setup)
        transaction.savepoint_rollback(sid)
        if failure:
            failures.append(failure)
    sid = transaction.savepoint()
    failure = probe_report_export(client, username)
    transaction.savepoint_rollback(sid)
    if failure:
        failures.append(failure)
    assert failures == [], "\n".join(failures)
