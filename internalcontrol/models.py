"""The internkontrollplan of a year: groups, granskningsområden, kontrollmoment,
the risk- och väsentlighetsanalys, the scheduled checks with their results,
evidence, avvikelser and åtgärder, and the förbundsdirektör's sign-off."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from federation import dates
from federation.models import BackgroundJob, Decision, FiscalYear, Role
from federation.people import local_time
from federation.status import Tone

from .frequency import ALLOWED_PER_YEAR, Frequency, parse_frequency

# The risk scales a plan may use for sannolikhet (S) and konsekvens (K): 1–4 (the default), 1–5 or 1–3.
RISK_SCALES = (3, 4, 5)
DEFAULT_RISK_SCALE = 4
SCALE_LABELS = {
    3: {
        "likelihood": {1: _("Liten"), 2: _("Måttlig"), 3: _("Stor")},
        "consequence": {1: _("Lindrig"), 2: _("Kännbar"), 3: _("Allvarlig")},
    },
    4: {
        "likelihood": {1: _("Mycket liten"), 2: _("Liten"), 3: _("Stor"), 4: _("Mycket stor")},
        "consequence": {1: _("Försumbar"), 2: _("Lindrig"), 3: _("Kännbar"), 4: _("Allvarlig")},
    },
    5: {
        "likelihood": {1: _("Mycket liten"), 2: _("Liten"), 3: _("Måttlig"), 4: _("Stor"), 5: _("Mycket stor")},
        "consequence": {
            1: _("Försumbar"), 2: _("Lindrig"), 3: _("Kännbar"), 4: _("Allvarlig"), 5: _("Mycket allvarlig")
        },
    },
}  # fmt: skip
LIKELIHOOD_LABELS = SCALE_LABELS[DEFAULT_RISK_SCALE]["likelihood"]
CONSEQUENCE_LABELS = SCALE_LABELS[DEFAULT_RISK_SCALE]["consequence"]

# Colour bands of the risk value S×K per scale (the 1–4 scale's bands can be overridden with settings.RISK_BANDS).
DEFAULT_RISK_BANDS = [(1, 3, "green", "Låg"), (4, 8, "yellow", "Medel"), (9, 16, "red", "Hög")]
SCALE_BANDS = {
    3: [(1, 2, "green", "Låg"), (3, 4, "yellow", "Medel"), (6, 9, "red", "Hög")],
    4: DEFAULT_RISK_BANDS,
    5: [(1, 4, "green", "Låg"), (5, 12, "yellow", "Medel"), (15, 25, "red", "Hög")],
}


def risk_bands(scale: int = DEFAULT_RISK_SCALE):
    if scale == DEFAULT_RISK_SCALE:
        return getattr(settings, "RISK_BANDS", None) or DEFAULT_RISK_BANDS
    return SCALE_BANDS[scale]


def risk_tone(value, scale: int = DEFAULT_RISK_SCALE):
    """(tone, word) for a risk value on ``scale``; grey "Ej bedömd" when there is none."""
    if not value:
        return Tone.GREY, _("Ej bedömd")
    for low, high, tone, word in risk_bands(scale):
        if low <= value <= high:
            return tone, word
    return Tone.GREY, _("Ej bedömd")


class PlanLockedError(ValidationError):
    pass


class CheckAlreadyLoggedError(ValidationError):
    """A result posted for a check that is already logged: it changes only by a correction with a reason."""


class PlanPartManager(models.Manager):
    """Natural keys for fixtures: the plan's (year, version) followed by ``KEY_FIELDS``."""

    def get_by_natural_key(self, year, version, *rest):
        prefix = self.model.PLAN_PATH
        lookups = {f"{prefix}fiscal_year__year": year, f"{prefix}version": version}
        lookups.update(dict(zip(self.model.KEY_FIELDS, rest, strict=True)))
        return self.get(**lookups)


class PlanPartMixin:
    PLAN_PATH = "plan__"
    KEY_FIELDS: tuple[str, ...] = ()

    def natural_key(self):
        plan = self.get_plan()
        values = [plan.fiscal_year.year, plan.version]
        for lookup in self.KEY_FIELDS:
            value = self
            for attname in lookup.split("__"):
                value = getattr(value, attname)
            values.append(value)
        return tuple(values)


# --- Plan and structure -------------------------------------------------------


class ControlPlanQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def get_by_natural_key(self, year, version):
        return self.get(fiscal_year__year=year, version=version)

    def for_year(self, year):
        return (
            self.current()
            .filter(fiscal_year__year=year)
            .select_related("fiscal_year", "decision__body", "report_decision__body")
            .first()
        )


class ControlPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ADOPTED = "adopted", _("Antagen")
        REPORTED = "reported", _("Avrapporterad")

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("verksamhetsår"), on_delete=models.PROTECT, related_name="control_plans"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("gällande version"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("antagen genom beslut"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_control_plans",
    )
    report_decision = models.ForeignKey(
        Decision,
        verbose_name=_("avrapporterad genom beslut"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_control_plans",
    )
    adopted_at = models.DateTimeField(_("antogs i systemet"), null=True, blank=True, editable=False)
    reported_on = models.DateField(_("avrapporterad"), null=True, blank=True)
    previous_version = models.OneToOneField(
        "self",
        verbose_name=_("ersätter version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("kopierad från"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    risk_scale = models.PositiveSmallIntegerField(
        _("riskskala"),
        choices=[(n, f"1–{n}") for n in RISK_SCALES],
        default=DEFAULT_RISK_SCALE,
        help_text=_("Skalan för sannolikhet och konsekvens i planens riskanalys."),
    )
    footnotes = models.TextField(
        _("fotnoter"), blank=True, help_text=_("En fotnot per rad, t.ex. om uppföljning av avvikelser.")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = ControlPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internkontrollplan")
        verbose_name_plural = _("internkontrollplaner")
        ordering = ["-fiscal_year__year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "version"],
                name="controlplan_unique_version",
                violation_error_message=_("Det finns redan en plan med den versionen för året."),
            ),
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=Q(is_current=True),
                name="controlplan_one_current_per_year",
                violation_error_message=_("Ett år kan bara ha en gällande internkontrollplan."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "adopted", "reported"]),
                name="controlplan_status_valid",
                violation_error_message=_("Ogiltig status."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(decision__isnull=False),
                name="controlplan_adopted_has_decision",
                violation_error_message=_("En antagen plan måste ha ett beslut."),
            ),
            models.CheckConstraint(
                condition=~Q(status="reported") | Q(reported_on__isnull=False),
                name="controlplan_reported_has_date",
                violation_error_message=_("En avrapporterad plan måste ha ett datum för avrapporteringen."),
            ),
            models.CheckConstraint(
                condition=Q(risk_scale__in=RISK_SCALES),
                name="controlplan_risk_scale_valid",
                violation_error_message=_("Riskskalan ska vara 1–3, 1–4 eller 1–5."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="controlplan_version_positive",
                violation_error_message=_("Versionen måste vara 1 eller högre."),
            ),
        ]

    def __str__(self):
        suffix = f" (version {self.version})" if self.version > 1 else ""
        return f"Internkontrollplan {self.fiscal_year.year}{suffix}"

    def natural_key(self):
        return (self.fiscal_year.year, self.version)

    natural_key.dependencies = ["federation.fiscalyear", "federation.decision"]

    @property
    def year(self):
        return self.fiscal_year.year

    @property
    def is_locked(self):
        """An adopted (or reported) plan, or an old version, cannot be changed."""
        return self.status != self.Status.DRAFT or not self.is_current

    def footnote_list(self):
        return [line.strip() for line in self.footnotes.splitlines() if line.strip()]


class LockedByPlanMixin:
    """Structure of a locked plan cannot be changed (``LOCKED_FIELDS`` lists what is locked)."""

    LOCKED_FIELDS: tuple[str, ...] = ()

    def get_plan(self):
        raise NotImplementedError

    def clean(self):
        super().clean()
        plan = self.get_plan()
        if plan is None or not plan.is_locked:
            return
        if self.pk is None:
            raise PlanLockedError(_("Planen är antagen och låst. En ändring kräver ett nytt beslut och en ny version."))
        original = type(self).objects.get(pk=self.pk)
        changed = [f for f in self.LOCKED_FIELDS if getattr(original, f) != getattr(self, f)]
        if changed:
            raise PlanLockedError(_("Planen är antagen och låst. En ändring kräver ett nytt beslut och en ny version."))


class ControlGroup(PlanPartMixin, LockedByPlanMixin, models.Model):
    plan = models.ForeignKey(ControlPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("rubrik"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    LOCKED_FIELDS = ("name", "order")
    KEY_FIELDS = ("name",)
    objects = PlanPartManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grupp")
        verbose_name_plural = _("grupper")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="controlgroup_unique_name",
                violation_error_message=_("Planen har redan en grupp med det namnet."),
            )
        ]

    def __str__(self):
        return self.name

    def get_plan(self):
        return self.plan if self.plan_id else None


class ReviewArea(PlanPartMixin, LockedByPlanMixin, models.Model):
    """A granskningsområde, numbered within the plan, with its "Resultat av granskning"."""

    plan = models.ForeignKey(ControlPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="areas")
    group = models.ForeignKey(
        ControlGroup, verbose_name=_("grupp"), on_delete=models.PROTECT, null=True, blank=True, related_name="areas"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    name = models.CharField(_("granskningsområde"), max_length=200)
    result_text = models.TextField(_("resultat av granskning"), blank=True)

    LOCKED_FIELDS = ("group_id", "number", "name")
    KEY_FIELDS = ("number",)
    objects = PlanPartManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("granskningsområde")
        verbose_name_plural = _("granskningsområden")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="reviewarea_unique_number",
                violation_error_message=_("Planen har redan ett granskningsområde med det numret."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="reviewarea_number_positive",
                violation_error_message=_("Granskningsområdets nummer måste vara 1 eller högre."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def get_plan(self):
        return self.plan if self.plan_id else None

    def clean(self):
        super().clean()
        if self.group_id and self.plan_id and self.group.plan_id != self.plan_id:
            raise ValidationError({"group": _("Gruppen hör till en annan plan.")})


class ControlPoint(PlanPartMixin, LockedByPlanMixin, models.Model):
    """A kontrollmoment with its kontrollmetod, frekvens and kontrollansvarig role."""

    area = models.ForeignKey(
        ReviewArea, verbose_name=_("granskningsområde"), on_delete=models.CASCADE, related_name="points"
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    description = models.TextField(_("kontrollmoment"))
    method = models.CharField(_("kontrollmetod"), max_length=300, blank=True)
    frequency_text = models.CharField(_("frekvens"), max_length=100, help_text=_("Som i planen, t.ex. ”2 ggr/år”."))
    # The parsed frequency, stored by ``clean`` when the kontrollmoment is written (see frequency.py).
    per_year = models.PositiveSmallIntegerField(_("gånger per år"), editable=False)
    continuous = models.BooleanField(_("löpande"), default=False, editable=False)
    months = models.CharField(_("månader"), max_length=40, blank=True, default="", editable=False)  # "3,8,12"
    event_driven = models.BooleanField(_("händelsestyrd"), default=False, editable=False)
    responsible_role = models.ForeignKey(
        Role, verbose_name=_("kontrollansvarig"), on_delete=models.PROTECT, related_name="control_points"
    )
    reported_to = models.CharField(_("rapporteras till"), max_length=100, default="Direktionen")
    custom_due_dates = models.JSONField(
        _("egna förfallodagar"),
        default=list,
        blank=True,
        help_text=_('Lista med datum ”MM-DD” som ersätter periodslut, t.ex. ["06-15", "11-30"].'),
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("kopierad från"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
    )

    LOCKED_FIELDS = ("area_id", "description", "method", "frequency_text", "responsible_role_id", "custom_due_dates")
    PLAN_PATH = "area__plan__"
    KEY_FIELDS = ("area__number", "order")
    objects = PlanPartManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontrollmoment")
        verbose_name_plural = _("kontrollmoment")
        ordering = ["area__number", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "order"],
                name="controlpoint_unique_order",
                violation_error_message=_("Området har redan ett kontrollmoment på den platsen i ordningen."),
            ),
            models.CheckConstraint(
                condition=(Q(months="") & Q(per_year__in=[0, *ALLOWED_PER_YEAR]))
                | (~Q(months="") & Q(per_year__gte=1, per_year__lte=12)),
                name="controlpoint_per_year_valid",
                violation_error_message=_("Frekvensen måste dela året i hela månader eller ange månader."),
            ),
            models.CheckConstraint(
                condition=Q(per_year__gt=0) | Q(continuous=True) | Q(event_driven=True),
                name="controlpoint_has_frequency",
                violation_error_message=_("Ett kontrollmoment måste ha en frekvens."),
            ),
            models.CheckConstraint(
                condition=Q(event_driven=False) | (Q(per_year=0) & Q(continuous=False) & Q(months="")),
                name="controlpoint_event_driven_unscheduled",
                violation_error_message=_("En händelsestyrd kontroll har inga fasta förfallodagar."),
            ),
            models.CheckConstraint(
                condition=~Q(description=""),
                name="controlpoint_description_required",
                violation_error_message=_("Kontrollmomentet måste ha en beskrivning."),
            ),
        ]

    def __str__(self):
        return self.description

    def get_plan(self):
        return self.area.plan if self.area_id else None

    @property
    def frequency(self) -> Frequency:
        """The frequency as stored when the kontrollmoment was written; the text is not read again."""
        months = tuple(int(m) for m in self.months.split(",")) if self.months else ()
        return Frequency(
            per_year=self.per_year, continuous=self.continuous, months=months, event_driven=self.event_driven
        )

    @frequency.setter
    def frequency(self, value: Frequency):
        self.per_year, self.continuous, self.event_driven = value.per_year, value.continuous, value.event_driven
        self.months = ",".join(str(m) for m in value.months)

    def clean(self):
        # The one moment the text is parsed: on write. A bad frequency is a Swedish error on its field.
        try:
            self.frequency = parse_frequency(self.frequency_text)
        except ValidationError as error:
            raise ValidationError({"frequency_text": error.messages}) from error
        if not isinstance(self.custom_due_dates, list):
            raise ValidationError({"custom_due_dates": _("Ange en lista med datum ”MM-DD”.")})
        for value in self.custom_due_dates:
            try:
                datetime.date.fromisoformat(f"2020-{value}")
            except (TypeError, ValueError) as error:
                raise ValidationError(
                    {"custom_due_dates": _("Ogiltigt datum ”%(value)s”, skriv ”MM-DD”.") % {"value": value}}
                ) from error
        super().clean()

    def event_frequency_label(self) -> str:
        """ "Händelsestyrd – vid behov": an event-driven kontrollmoment's frequency in the plan's own words."""
        text = self.frequency_text.strip()
        return _("Händelsestyrd – %(when)s") % {"when": text[:1].lower() + text[1:]}

    def frequency_label(self) -> str:
        """The frequency as pages show it: "Händelsestyrd – vid behov" for an event-driven kontrollmoment
        (``event_frequency_label``), else the plan's own words ("2 ggr/år")."""
        return self.event_frequency_label() if self.event_driven else self.frequency_text

    def due_dates(self, year):
        if self.custom_due_dates:
            dates = []
            for value in sorted(self.custom_due_dates):
                month, day = (int(part) for part in value.split("-"))
                if month == 2 and day == 29 and year % 4:
                    day = 28
                dates.append(datetime.date(year, month, day))
            return dates
        return self.frequency.due_dates(year)

    def risk_value(self):
        """Highest risk value S×K among the risks this point covers (uses prefetched ``risks``)."""
        values = [risk.value for risk in self.risks.all()]
        return max(values) if values else None

    def risk_tone(self):
        scale = next((risk.scale for risk in self.risks.all()), DEFAULT_RISK_SCALE)
        return risk_tone(self.risk_value(), scale)


class Risk(PlanPartMixin, LockedByPlanMixin, models.Model):
    """One row of the plan's risk- och väsentlighetsanalys."""

    plan = models.ForeignKey(ControlPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("risk"), max_length=300)
    likelihood = models.PositiveSmallIntegerField(
        _("sannolikhet"), validators=[MinValueValidator(1), MaxValueValidator(max(RISK_SCALES))]
    )
    consequence = models.PositiveSmallIntegerField(
        _("konsekvens"), validators=[MinValueValidator(1), MaxValueValidator(max(RISK_SCALES))]
    )
    # The plan's risk scale, kept on the row so the database can hold S and K within it.
    scale = models.PositiveSmallIntegerField(_("riskskala"), default=DEFAULT_RISK_SCALE, editable=False)
    control_points = models.ManyToManyField(
        ControlPoint, verbose_name=_("kontrollmoment"), blank=True, related_name="risks"
    )
    not_covered_reason = models.TextField(
        _("skäl till att risken inte kontrolleras"),
        blank=True,
        help_text=_("Fylls i när inget kontrollmoment täcker risken."),
    )
    needs_review = models.BooleanField(
        _("behöver omprövas"),
        default=False,
        help_text=_("Kopierad från föregående års plan; bedömningen ska ses över."),
    )
    carried_from = models.ForeignKey(
        "self", verbose_name=_("kopierad från"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    LOCKED_FIELDS = ("title", "likelihood", "consequence", "not_covered_reason")
    KEY_FIELDS = ("title",)
    objects = PlanPartManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risk- och väsentlighetsanalys")
        ordering = ["plan", "-likelihood", "-consequence", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "title"],
                name="risk_unique_title",
                violation_error_message=_("Planen har redan en risk med den beskrivningen."),
            ),
            models.CheckConstraint(
                condition=Q(scale__in=RISK_SCALES),
                name="risk_scale_valid",
                violation_error_message=_("Riskskalan ska vara 1–3, 1–4 eller 1–5."),
            ),
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=F("scale")),
                name="risk_likelihood_within_scale",
                violation_error_message=_("Sannolikheten ligger utanför planens riskskala."),
            ),
            models.CheckConstraint(
                condition=Q(consequence__gte=1, consequence__lte=F("scale")),
                name="risk_consequence_within_scale",
                violation_error_message=_("Konsekvensen ligger utanför planens riskskala."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.plan_id:
            self.scale = self.plan.risk_scale
        super().save(*args, **kwargs)

    def clean(self):
        if self.plan_id:
            self.scale = self.plan.risk_scale
            for field in ("likelihood", "consequence"):
                value = getattr(self, field)
                if value is not None and not 1 <= value <= self.scale:
                    raise ValidationError(
                        {field: _("Ange ett värde 1–%(scale)s (planens riskskala).") % {"scale": self.scale}}
                    )
        super().clean()

    def get_plan(self):
        return self.plan if self.plan_id else None

    @property
    def value(self):
        return self.likelihood * self.consequence

    def likelihood_label(self):
        return f"{self.likelihood} {SCALE_LABELS[self.scale]['likelihood'].get(self.likelihood, '')}".strip()

    def consequence_label(self):
        return f"{self.consequence} {SCALE_LABELS[self.scale]['consequence'].get(self.consequence, '')}".strip()

    def tone(self):
        return risk_tone(self.value, self.scale)

    def label(self):
        tone, word = self.tone()
        return f"{word} ({self.value})"


# --- Checks ----------------------------------------------------------------


# Checks done this often (or more) a year are "monthly" for the lead time before their due date.
MONTHLY = 12


def check_lead_days(per_year: int, rules) -> int:
    """Days before its due date a check is "due soon" (and reminded): short for monthly checks."""
    return rules.check_lead_days_monthly if per_year >= MONTHLY else rules.check_lead_days_long


# An event-driven kontrollmoment ("Vid behov") has no planned checks: its checks are logged when the event
# happens, always performed, never open nor overdue. They are counted on their own (``event_done``).
SCHEDULED = Q(control_point__event_driven=False)
EVENT_DRIVEN = Q(control_point__event_driven=True)


def _with_totals(counts: dict) -> dict:
    if "planned" not in counts or "done" not in counts:
        return counts
    counts["open"] = counts["planned"] - counts["done"]
    counts["percent_done"] = round(100 * counts["done"] / counts["planned"]) if counts["planned"] else 0
    return counts


class CheckQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related(
            "control_point__area__plan__fiscal_year",
            "control_point__area__group",
            "control_point__responsible_role",
            "performed_by",
        )

    def for_table(self):
        """What a row of the checks' table (``tables.CheckTable``) shows and no more: the year, the area, the
        kontrollmoment and its role, who performed it (each joined table costs the planner about a millisecond)."""
        return self.select_related(
            "control_point__area__plan__fiscal_year", "control_point__responsible_role", "performed_by"
        )

    def open(self):
        return self.filter(performed_on__isnull=True)

    def done(self):
        return self.filter(performed_on__isnull=False)

    @staticmethod
    def state_q(state: str, *, on: datetime.date, rules) -> Q:
        """The open checks in ``state`` (``federation.dates``: OVERDUE, DUE, UPCOMING) on ``on``, as a
        condition: the database's side of ``Check.due_state``, so a count agrees with every row's badge.
        A check performed after ``on`` was still open on ``on`` (a report as of a past date)."""
        overdue_from = on - datetime.timedelta(days=rules.overdue_after_days)
        open_ = (Q(performed_on__isnull=True) | Q(performed_on__gt=on)) & SCHEDULED
        if state == dates.OVERDUE:
            return open_ & Q(due_date__lte=overdue_from)
        if state == dates.DUE:
            return open_ & Q(due_date__gt=overdue_from, due_date__lte=on)
        monthly = on + datetime.timedelta(days=rules.check_lead_days_monthly)
        longer = on + datetime.timedelta(days=rules.check_lead_days_long)
        return (
            open_
            & Q(due_date__gt=on)
            & (
                Q(control_point__per_year__gte=MONTHLY, due_date__lte=monthly)
                | Q(control_point__per_year__lt=MONTHLY, due_date__lte=longer)
            )
        )

    def overdue(self, today, rules=None):
        return self.filter(self.state_q(dates.OVERDUE, on=today, rules=rules or dates.due_rules()))

    def due_now(self, today, rules=None):
        """Open and due (the due date has come) or overdue: what should be done now."""
        rules = rules or dates.due_rules()
        return self.filter(
            self.state_q(dates.OVERDUE, on=today, rules=rules) | self.state_q(dates.DUE, on=today, rules=rules)
        )

    def summary(self, *, on: datetime.date, rules=None, by: str | None = None, only=None) -> dict:
        """How these checks stand on ``on``, in one query: planned, done (performed), ok, remark, not_done
        (by result), open (not performed), overdue, due and due_soon (open, in that state of
        ``federation.dates.due_state`` on ``on``) and percent_done — of the scheduled checks; and
        ``event_done``, ``event_remark``: the checks of event-driven kontrollmoment (logged when they happened,
        never planned nor overdue). With ``by`` (a field path such as "control_point__area"), the same counts
        per value of that field: ``{value: counts}``. With ``only`` (names of the counts above), just those:
        a page that needs one count does not pay for composing all ten.
        As of ``on``: what was performed later counts as open (the delårsrapport's state at 31 August)."""
        rules = rules or dates.due_rules()
        performed = Q(performed_on__lte=on)
        counts = {
            "planned": models.Count("pk", filter=SCHEDULED),
            "done": models.Count("pk", filter=SCHEDULED & performed),
            "ok": models.Count("pk", filter=SCHEDULED & performed & Q(result=Check.Result.OK)),
            "remark": models.Count("pk", filter=SCHEDULED & performed & Q(result=Check.Result.REMARK)),
            "not_done": models.Count("pk", filter=SCHEDULED & performed & Q(result=Check.Result.NOT_DONE)),
            "event_done": models.Count("pk", filter=EVENT_DRIVEN & performed),
            "event_remark": models.Count("pk", filter=EVENT_DRIVEN & performed & Q(result=Check.Result.REMARK)),
            "overdue": models.Count("pk", filter=self.state_q(dates.OVERDUE, on=on, rules=rules)),
            "due": models.Count("pk", filter=self.state_q(dates.DUE, on=on, rules=rules)),
            "due_soon": models.Count("pk", filter=self.state_q(dates.UPCOMING, on=on, rules=rules)),
        }
        if only is not None:
            counts = {name: counts[name] for name in only}
        if by is None:
            return _with_totals(self.aggregate(**counts))
        rows = self.order_by().values(by).annotate(**counts)
        return {row.pop(by): _with_totals(row) for row in rows}

    def for_roles(self, role_ids):
        return self.filter(control_point__responsible_role__in=role_ids)

    def for_viewer(self, viewer):
        """Checks of the roles ``viewer`` (``federation.navigation.Viewer``: a user with the roles held on its
        day, as the request's ``viewer(request)`` read them) holds; all of them for the förbundsdirektör.

        The role ids go to the query as a list, not a subquery: as a subquery PostgreSQL joined every
        kontrollmoment before it filtered on the roles (about ten times slower at factor 10). Checks exist only
        in plans that have been adopted; a superseded version keeps its performed checks (its open ones move to
        the new version), so no version filter is needed."""
        if viewer.is_director:
            return self.all()
        return self.for_roles([role.pk for role in viewer.roles])


class Check(models.Model):
    """One scheduled occurrence of a kontrollmoment, and its result; for an event-driven kontrollmoment, one
    event, logged when it happened (``due_date`` is then the day it happened, see ``services.check_log_event``)."""

    class Result(models.TextChoices):
        NONE = "", _("Ej registrerat")
        OK = "ok", _("Utan anmärkning")
        REMARK = "remark", _("Med anmärkning")
        NOT_DONE = "not_done", _("Ej genomförd")

    class Severity(models.TextChoices):
        NONE = "", _("–")
        LOW = "low", _("Låg")
        MEDIUM = "medium", _("Medel")
        HIGH = "high", _("Hög")

    control_point = models.ForeignKey(
        ControlPoint, verbose_name=_("kontrollmoment"), on_delete=models.PROTECT, related_name="checks"
    )
    due_date = models.DateField(_("förfallodag"))
    performed_on = models.DateField(_("genomförd"), null=True, blank=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("genomförd av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="performed_checks",
    )
    result = models.CharField(_("resultat"), max_length=10, choices=Result.choices, blank=True, default="")
    severity = models.CharField(_("allvarlighetsgrad"), max_length=10, choices=Severity.choices, blank=True, default="")
    sample = models.TextField(_("urval/stickprov"), blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    logged_at = models.DateTimeField(_("registrerad"), null=True, blank=True)

    objects = CheckQuerySet.as_manager()
    # A correction's reason is free text, longer than simple-history's default 100 characters.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("kontroll")
        verbose_name_plural = _("kontroller")
        ordering = ["due_date", "control_point__area__number", "control_point__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["control_point", "due_date"],
                name="check_one_per_point_and_date",
                violation_error_message=_("Kontrollmomentet har redan en kontroll med den förfallodagen."),
            ),
            models.CheckConstraint(
                condition=Q(result__in=["", "ok", "remark", "not_done"]),
                name="check_result_valid",
                violation_error_message=_("Ogiltigt resultat."),
            ),
            models.CheckConstraint(
                condition=Q(result="", performed_on__isnull=True) | (~Q(result="") & Q(performed_on__isnull=False)),
                name="check_result_with_date",
                violation_error_message=_("Ett resultat kräver ett datum, och ett datum kräver ett resultat."),
            ),
            models.CheckConstraint(
                condition=(Q(result="remark") & Q(severity__in=["low", "medium", "high"]))
                | (~Q(result="remark") & Q(severity="")),
                name="check_severity_only_for_remark",
                violation_error_message=_("Allvarlighetsgrad anges för, och bara för, kontroller med anmärkning."),
            ),
        ]

    def __str__(self):
        return f"{self.control_point} – {self.due_date:%Y-%m-%d}"

    @property
    def is_done(self):
        return self.performed_on is not None

    def due_state(self, today, rules=None) -> str | None:
        """``federation.dates.due_state`` of this check (None once performed); reads ``control_point``."""
        if self.performed_on is not None or self.control_point.event_driven:
            return None
        rules = rules or dates.due_rules()
        lead_days = check_lead_days(self.control_point.per_year, rules)
        return dates.due_state(due_date=self.due_date, on=today, lead_days=lead_days, rules=rules)

    def is_overdue(self, today, rules=None):
        return self.due_state(today, rules) == dates.OVERDUE

    def status(self, today, rules=None):
        """(tone, word) for pages: the result when performed, else how far its due date has come."""
        if self.result == self.Result.OK:
            return Tone.GREEN, self.get_result_display()
        if self.result == self.Result.REMARK:
            return Tone.YELLOW, f"{self.get_result_display()} ({self.get_severity_display().lower()})"
        if self.result == self.Result.NOT_DONE:
            return Tone.RED, self.get_result_display()
        return dates.due_words(self.due_state(today, rules), due_date=self.due_date, on=today)


def evidence_upload_to(instance, filename):
    return f"internkontroll/underlag/{instance.check_id}/{filename}"


class Evidence(models.Model):
    """A file that shows a check was made, for the period it covers."""

    check_item = models.ForeignKey(Check, verbose_name=_("kontroll"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("fil"), upload_to=evidence_upload_to)
    description = models.CharField(_("beskrivning"), max_length=200, blank=True)
    period_start = models.DateField(_("avser period från"))
    period_end = models.DateField(_("avser period till"))
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uppladdad av"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.ForeignKey(
        "Action",
        verbose_name=_("åtgärd"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        help_text=_("Åtgärden som underlaget visar är genomförd (tomt: underlag för själva kontrollen)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("underlag")
        verbose_name_plural = _("underlag")
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="evidence_period_end_after_start",
                violation_error_message=_("Periodens slut kan inte ligga före dess början."),
            )
        ]

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]

    def clean(self):
        if self.action_id and self.check_item_id and self.action.deviation.check_item_id != self.check_item_id:
            raise ValidationError({"action": _("Åtgärden hör till en annan kontroll.")})

    @property
    def check_id(self):
        return self.check_item_id


class Deviation(models.Model):
    """An avvikelse found by a check with a remark (a database trigger refuses any other check)."""

    check_item = models.ForeignKey(
        Check, verbose_name=_("kontroll"), on_delete=models.PROTECT, related_name="deviations"
    )
    description = models.TextField(_("avvikelse"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrerad av"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avvikelse")
        verbose_name_plural = _("avvikelser")
        ordering = ["recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description=""),
                name="deviation_description_required",
                violation_error_message=_("Beskriv avvikelsen."),
            )
        ]

    def __str__(self):
        return self.description[:80]

    def clean(self):
        if self.check_item_id and self.check_item.result != Check.Result.REMARK:
            raise ValidationError(_("En avvikelse kan bara registreras på en kontroll med anmärkning."))


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Action.Status.OPEN, Action.Status.DONE])

    def latest_copies(self):
        """Each åtgärd once: without those copied forward to a later year's plan (the work goes on there)."""
        return self.filter(carried_to__isnull=True)

    def open_on(self, on: datetime.date):
        """The åtgärder open on ``on``: their avvikelse found by then (its check performed), not done by then
        (those carried to the next year's plan were not done)."""
        return self.filter(deviation__check_item__performed_on__lte=on).filter(
            Q(done_on__isnull=True) | Q(done_on__gt=on)
        )

    def state_q(self, state: str, *, on: datetime.date, rules) -> Q:
        """The database's side of ``Action.due_state``: open åtgärder in ``state`` on ``on`` (one done after
        ``on`` was still open then)."""
        overdue_from = on - datetime.timedelta(days=rules.overdue_after_days)
        open_ = Q(status=Action.Status.OPEN) | Q(done_on__gt=on)
        if state == dates.OVERDUE:
            return open_ & Q(deadline__lte=overdue_from)
        if state == dates.DUE:
            return open_ & Q(deadline__gt=overdue_from, deadline__lte=on)
        return open_ & Q(deadline__gt=on, deadline__lte=on + datetime.timedelta(days=rules.action_lead_days))

    def summary_by_year(self, *, on: datetime.date, rules) -> dict[int, dict]:
        """Per fiscal year of the plan: how many åtgärder, and how many overdue, due and due soon (one query)."""
        rows = (
            self.order_by()
            .values("control_point__area__plan__fiscal_year__year")
            .annotate(
                total=models.Count("pk"),
                overdue=models.Count("pk", filter=self.state_q(dates.OVERDUE, on=on, rules=rules)),
                due=models.Count("pk", filter=self.state_q(dates.DUE, on=on, rules=rules)),
                due_soon=models.Count("pk", filter=self.state_q(dates.UPCOMING, on=on, rules=rules)),
            )
        )
        return {row.pop("control_point__area__plan__fiscal_year__year"): row for row in rows}

    def with_related(self):
        return self.select_related(
            "deviation__check_item__control_point__area",
            "control_point__area__plan__fiscal_year",
            "responsible",
            "verified_by_check",
        )


class Action(models.Model):
    """An åtgärd for an avvikelse; verified by a later check of the same kontrollmoment."""

    class Status(models.TextChoices):
        OPEN = "open", _("Pågår")
        DONE = "done", _("Åtgärdad, ej verifierad")
        VERIFIED = "verified", _("Verifierad")
        CARRIED = "carried", _("Överförd till nästa års plan")

    deviation = models.ForeignKey(
        Deviation, verbose_name=_("avvikelse"), on_delete=models.PROTECT, related_name="actions"
    )
    control_point = models.ForeignKey(
        ControlPoint,
        verbose_name=_("kontrollmoment"),
        on_delete=models.PROTECT,
        related_name="actions",
        help_text=_("Kontrollmomentet vars uppföljande kontroll verifierar åtgärden."),
    )
    description = models.TextField(_("åtgärd"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ansvarig"), on_delete=models.PROTECT, related_name="ic_actions"
    )
    deadline = models.DateField(_("ska vara genomförd senast"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("åtgärdad"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("åtgärdad av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    done_comment = models.TextField(_("kommentar om genomförandet"), blank=True)
    verified_on = models.DateField(_("verifierad"), null=True, blank=True)
    verified_by_check = models.ForeignKey(
        Check,
        verbose_name=_("verifierad genom kontroll"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verified_actions",
    )
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("överförd från"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
    )

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "verified", "carried"]),
                name="action_status_valid",
                violation_error_message=_("Ogiltig status."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "carried"]) | Q(done_on__isnull=False),
                name="action_done_has_date",
                violation_error_message=_("En genomförd åtgärd måste ha ett datum."),
            ),
            models.CheckConstraint(
                condition=(Q(status="verified") & Q(verified_on__isnull=False) & Q(verified_by_check__isnull=False))
                | (~Q(status="verified") & Q(verified_on__isnull=True) & Q(verified_by_check__isnull=True)),
                name="action_verified_has_check",
                violation_error_message=_(
                    "En verifierad åtgärd har ett verifieringsdatum och en uppföljande kontroll."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(description=""),
                name="action_description_required",
                violation_error_message=_("Beskriv åtgärden."),
            ),
        ]

    def __str__(self):
        return self.description[:80]

    def clean(self):
        if self.verified_by_check_id and self.control_point_id:
            if self.verified_by_check.control_point_id != self.control_point_id:
                raise ValidationError(
                    {"verified_by_check": _("Åtgärden verifieras av en kontroll av samma kontrollmoment.")}
                )

    def due_state(self, today, rules=None) -> str | None:
        """``federation.dates.due_state`` of an open åtgärd by its deadline (None unless open)."""
        if self.status != self.Status.OPEN:
            return None
        rules = rules or dates.due_rules()
        return dates.due_state(due_date=self.deadline, on=today, lead_days=rules.action_lead_days, rules=rules)

    def is_overdue(self, today, rules=None):
        return self.due_state(today, rules) == dates.OVERDUE

    def tone(self, today, rules=None):
        if self.status == self.Status.VERIFIED:
            return Tone.GREEN, self.get_status_display()
        if self.status == self.Status.CARRIED:
            return Tone.GREY, self.get_status_display()
        state = self.due_state(today, rules)
        if state is not None:
            return dates.due_words(state, due_date=self.deadline, on=today)
        return Tone.YELLOW, self.get_status_display()


class PlanSignOff(models.Model):
    """The förbundsdirektör's sign-off of a plan's follow-up, with the state at that moment."""

    plan = models.OneToOneField(ControlPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="sign_off")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("undertecknad av"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("undertecknad"))
    comment = models.TextField(_("kommentar"), blank=True)
    snapshot = models.JSONField(_("läge vid undertecknandet"), default=dict)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("undertecknad uppföljning")
        verbose_name_plural = _("undertecknade uppföljningar")
        ordering = ["-signed_at"]

    def __str__(self):
        return f"{self.plan} – {local_time(self.signed_at):%Y-%m-%d}"


# --- The revisorer's evidence pack ---------------------------------------------------


class EvidencePack(BackgroundJob):
    """One evidence pack of a year for the revisorer (a ZIP built by ``evidence.evidence_pack_write``), run as
    a background task: who asked for it, how far it has come, and the finished file."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("beställt av"), on_delete=models.CASCADE, related_name="evidence_packs"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("verksamhetsår"), on_delete=models.CASCADE, related_name="evidence_packs"
    )
    file = models.FileField(_("fil"), upload_to="bevispaket/%Y/", blank=True)
    created = models.DateTimeField(_("beställt"), auto_now_add=True)
    finished = models.DateTimeField(_("klart"), null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("bevispaket")
        verbose_name_plural = _("bevispaket")
        ordering = ["-created"]
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""),
                name="evidencepack_done_has_file",
                violation_error_message=_("Ett klart bevispaket måste ha en fil."),
            ),
        ]

    def __str__(self):
        return f"Bevispaket {self.fiscal_year} – {self.get_status_display()}"
