"""The internkontrollplan of a year: groups, granskningsområden, kontrollmoment,
the risk- och väsentlighetsanalys, the scheduled checks with their results,
evidence, avvikelser and åtgärder, and the förbundsdirektör's sign-off."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from federation.models import Decision, FiscalYear, Role
from federation.status import Tone

from .frequency import PER_YEAR_CHOICES, Frequency, parse_frequency

LIKELIHOOD_LABELS = {1: _("Mycket liten"), 2: _("Liten"), 3: _("Stor"), 4: _("Mycket stor")}
CONSEQUENCE_LABELS = {1: _("Försumbar"), 2: _("Lindrig"), 3: _("Kännbar"), 4: _("Allvarlig")}

# Default colour bands of the risk value S×K (override with settings.RISK_BANDS).
DEFAULT_RISK_BANDS = [(1, 3, "green", "Låg"), (4, 8, "yellow", "Medel"), (9, 16, "red", "Hög")]


def risk_bands():
    return getattr(settings, "RISK_BANDS", None) or DEFAULT_RISK_BANDS


def risk_tone(value):
    """(tone, word) for a risk value; grey "Ej bedömd" when there is none."""
    if not value:
        return Tone.GREY, _("Ej bedömd")
    for low, high, tone, word in risk_bands():
        if low <= value <= high:
            return tone, word
    return Tone.GREY, _("Ej bedömd")


class PlanLockedError(ValidationError):
    pass


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
    per_year = models.PositiveSmallIntegerField(_("gånger per år"), choices=PER_YEAR_CHOICES, editable=False)
    continuous = models.BooleanField(_("löpande"), default=False, editable=False)
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
                condition=Q(per_year__in=[0, 1, 2, 3, 4, 6, 12]),
                name="controlpoint_per_year_valid",
                violation_error_message=_("Frekvensen måste dela året i hela månader."),
            ),
            models.CheckConstraint(
                condition=Q(per_year__gt=0) | Q(continuous=True),
                name="controlpoint_has_frequency",
                violation_error_message=_("Ett kontrollmoment måste ha en frekvens."),
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
        return Frequency(per_year=self.per_year, continuous=self.continuous)

    @frequency.setter
    def frequency(self, value: Frequency):
        self.per_year, self.continuous = value.per_year, value.continuous

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
        return risk_tone(self.risk_value())


class Risk(PlanPartMixin, LockedByPlanMixin, models.Model):
    """One row of the plan's risk- och väsentlighetsanalys."""

    plan = models.ForeignKey(ControlPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("risk"), max_length=300)
    likelihood = models.PositiveSmallIntegerField(
        _("sannolikhet"), choices=[(k, f"{k} {v}") for k, v in LIKELIHOOD_LABELS.items()]
    )
    consequence = models.PositiveSmallIntegerField(
        _("konsekvens"), choices=[(k, f"{k} {v}") for k, v in CONSEQUENCE_LABELS.items()]
    )
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
                condition=Q(likelihood__gte=1, likelihood__lte=4),
                name="risk_likelihood_1_4",
                violation_error_message=_("Sannolikheten ska vara 1–4."),
            ),
            models.CheckConstraint(
                condition=Q(consequence__gte=1, consequence__lte=4),
                name="risk_consequence_1_4",
                violation_error_message=_("Konsekvensen ska vara 1–4."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_plan(self):
        return self.plan if self.plan_id else None

    @property
    def value(self):
        return self.likelihood * self.consequence

    def tone(self):
        return risk_tone(self.value)

    def label(self):
        tone, word = self.tone()
        return f"{word} ({self.value})"


# --- Checks ----------------------------------------------------------------


# The översikt's "Förfaller inom 30 dagar".
DUE_SOON_DAYS = 30


def _with_totals(counts: dict) -> dict:
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

    def open(self):
        return self.filter(performed_on__isnull=True)

    def done(self):
        return self.filter(performed_on__isnull=False)

    def overdue(self, today):
        return self.open().filter(due_date__lt=today)

    def summary(self, *, on: datetime.date, by: str | None = None) -> dict:
        """How these checks stand on ``on``, in one query: planned, done (performed), ok, remark, not_done
        (by result), open (not performed), overdue (open, due before ``on``), due_soon (open, due within
        DUE_SOON_DAYS from ``on``) and percent_done. With ``by`` (a field path such as
        "control_point__area"), the same counts per value of that field: ``{value: counts}``."""
        soon = on + datetime.timedelta(days=DUE_SOON_DAYS)
        not_performed = Q(performed_on__isnull=True)
        counts = {
            "planned": models.Count("pk"),
            "done": models.Count("pk", filter=Q(performed_on__isnull=False)),
            "ok": models.Count("pk", filter=Q(result=Check.Result.OK)),
            "remark": models.Count("pk", filter=Q(result=Check.Result.REMARK)),
            "not_done": models.Count("pk", filter=Q(result=Check.Result.NOT_DONE)),
            "overdue": models.Count("pk", filter=not_performed & Q(due_date__lt=on)),
            "due_soon": models.Count("pk", filter=not_performed & Q(due_date__gte=on, due_date__lte=soon)),
        }
        if by is None:
            return _with_totals(self.aggregate(**counts))
        rows = self.order_by().values(by).annotate(**counts)
        return {row.pop(by): _with_totals(row) for row in rows}

    def for_roles(self, role_ids):
        return self.filter(control_point__responsible_role__in=role_ids)

    def for_user(self, user, today):
        """Checks of the roles the user holds today (all of them for the förbundsdirektör).

        Checks exist only in plans that have been adopted; a superseded version keeps its
        performed checks (its open ones move to the new version), so no version filter is needed."""
        from federation.selectors import is_director, roles_held_by

        if is_director(user, on=today):
            return self.all()
        return self.for_roles(roles_held_by(user=user, on=today).values("pk"))


class Check(models.Model):
    """One scheduled occurrence of a kontrollmoment, and its result."""

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
    history = HistoricalRecords()

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

    def is_overdue(self, today):
        return self.performed_on is None and self.due_date < today

    def status(self, today):
        """(tone, word) for pages: the result when performed, else due/overdue."""
        if self.result == self.Result.OK:
            return Tone.GREEN, self.get_result_display()
        if self.result == self.Result.REMARK:
            return Tone.YELLOW, f"{self.get_result_display()} ({self.get_severity_display().lower()})"
        if self.result == self.Result.NOT_DONE:
            return Tone.RED, self.get_result_display()
        if self.due_date < today:
            return Tone.RED, _("Försenad")
        return Tone.GREY, _("Ej utförd")


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

    def is_overdue(self, today):
        return self.status == self.Status.OPEN and self.deadline < today

    def tone(self, today):
        if self.status == self.Status.VERIFIED:
            return Tone.GREEN, self.get_status_display()
        if self.status == self.Status.CARRIED:
            return Tone.GREY, self.get_status_display()
        if self.is_overdue(today):
            return Tone.RED, _("Försenad")
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
        return f"{self.plan} – {self.signed_at:%Y-%m-%d}"
