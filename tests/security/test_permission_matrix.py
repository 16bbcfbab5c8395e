"""The permission matrix: every role × every page and action, against ONE table.

MATRIX below is the table in the user guide, docs/anvandarguide.md ("## Vem får göra vad"); a test
checks the guide shows exactly this table. Each role then walks every GET page of the
goals, internalcontrol and federation URL confs and every state-changing POST
with the demo data: an allowed action must succeed and change the database, a
refused one must answer 403 (or send to the login page) and change nothing.
Every cell that differs from the table is reported at once."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import get_resolver, reverse
from django.utils import timezone

from federation.models import FollowUp, ReportExport, Unit
from goals.models import Activity, Assessment, Indicator, Outcome, Strategy, Submission
from internalcontrol.models import Action, Check, ControlPlan, Deviation

pytestmark = pytest.mark.django_db

USER_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "anvandarguide.md"

# Columns: (heading, demo user or None for anonymous)
ROLES = [
    ("Förbundsdirektör", "direktor"),
    ("Administrativ chef", "adminchef"),
    ("Enhetsledare", "navet"),
    ("Kontrollansvarig", "ekonomnavet"),
    ("Läsbehörig (Direktion, revisor)", "revisor"),
    ("Anonym", None),
]

# "ja" allowed, "nej" refused, "egna" only the user's own objects (checks of roles they hold,
# åtgärder they are responsible for) — every other object is refused.
VIEW = "Se sidorna (mål, internkontroll, kontroller, underlag, åtgärder)"
LOG_CHECK = "Registrera en kontroll"
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

MATRIX = {
    VIEW: ["ja", "ja", "ja", "ja", "ja", "nej"],
    LOG_CHECK: ["ja", "egna", "nej", "egna", "nej", "nej"],
    DEVIATION: ["ja", "egna", "nej", "egna", "nej", "nej"],
    PLAN: ["ja", "ja", "nej", "nej", "nej", "nej"],
    ADOPT: ["ja", "nej", "nej", "nej", "nej", "nej"],
    OWN_GOALS: ["ja", "nej", "ja", "nej", "nej", "nej"],
    OTHER_GOALS: ["ja", "nej", "nej", "nej", "nej", "nej"],
    APPROVE: ["ja", "nej", "nej", "nej", "nej", "nej"],
    REPORT: ["ja", "nej", "nej", "nej", "ja", "nej"],
    ADMIN: ["ja", "ja", "nej", "nej", "nej", "nej"],
    IMPORT_PLAN: ["ja", "ja", "nej", "nej", "nej", "nej"],
    IMPORT_GOALS: ["ja", "nej", "nej", "nej", "nej", "nej"],
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
    activity = navet_activity()
    requester = user(username) if username else user("direktor")
    export = ReportExport.objects.create(requested_by=requester, fiscal_year=annual_2019().fiscal_year, format="xlsx")
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
        "federation:home": {},
        "federation:landing": {},
        "federation:reports": {},
        "federation:report_preview": {},
        "federation:report_export": {"pk": export.pk},
        "federation:report_export_progress": {"pk": export.pk},
        "goals:approvals": {},
        "goals:submission": {"pk": waiting_submission().pk},
        "internalcontrol:plan-adopt": {"pk": ControlPlan.objects.get(fiscal_year__year=2020, is_current=True).pk},
        "internalcontrol:plan-report": {"pk": ControlPlan.objects.get(fiscal_year__year=2020, is_current=True).pk},
    }


# POST-only URLs are walked by the POST probes below.
POST_ONLY = {
    "goals:submit",
    "goals:approve",
    "goals:approve_many",
    "goals:send_back",
    "goals:outcome_update",
    "goals:assessment_update",
    "internalcontrol:action-done",
    "federation:report_export_create",
}
# File downloads need a stored file; their rule is tested with the file (test_evidence_*).
DOWNLOADS = {"internalcontrol:evidence-download", "federation:report_download"}
# The start page after login: a redirect to where the user's work is.
LANDINGS = {"federation:landing"}
GET_ROW = {
    "internalcontrol:check-log": (LOG_CHECK, frozenset({"adminchef"})),
    "federation:reports": (REPORT, frozenset()),
    "federation:report_preview": (REPORT, frozenset()),
    "federation:report_export": (REPORT, frozenset()),
    "federation:report_export_progress": (REPORT, frozenset()),
    "goals:approvals": (APPROVE, frozenset()),
    "goals:submission": (APPROVE, frozenset()),
    "internalcontrol:plan-adopt": (ADOPT, frozenset()),
    "internalcontrol:plan-report": (ADOPT, frozenset()),
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
            allowed = response.status_code == 200 and not response.redirect_chain[-1][0].startswith("/accounts/login/")
            if not allowed:
                response = client.get(url)
        else:
            response = client.get(url)
            allowed = response.status_code == 200
        if not allowed and not refused(response):
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


def probe_action_done():
    action = Action.objects.filter(status="open", responsible__username="adminchef").order_by("pk").first()
    return (
        reverse("internalcontrol:action-done", args=[action.pk]),
        {},
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


POSTS = [
    (LOG_CHECK, {"adminchef"}, "log the Administrativ chef's check", probe_log_check("Administrativ chef")),
    (LOG_CHECK, {"ekonomnavet"}, "log the Ekonom Navet's check", probe_log_check("Ekonom Navet")),
    (DEVIATION, {"adminchef"}, "avvikelse on the Administrativ chef's check", probe_deviation("Administrativ chef")),
    (DEVIATION, {"ekonomnavet"}, "avvikelse on the Ekonom Navet's check", probe_deviation("Ekonom Navet")),
    (DEVIATION, {"adminchef"}, "mark the Administrativ chef's åtgärd done", probe_action_done),
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
    ):
        response = client.get(url)
        allowed = response.status_code == 200
        if not allowed and not refused(response):
            failures.append(f"GET {url}: unexpected status {response.status_code}")
        elif allowed != expected(action, username):
            failures.append(f"GET {url} ({action}): {'allowed' if allowed else 'refused'}")
    return failures


@pytest.mark.parametrize("username", [username for _, username in ROLES], ids=lambda u: u or "anonym")
def test_every_role_gets_exactly_what_the_matrix_says(client, demo_data, username):
    if username:
        client.force_login(user(username))
    failures = []
    for run in (walk_pages, admin_pages):
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
