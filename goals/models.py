"""Goal fulfilment: per fiscal year the overall goal, inriktningsmål, strategier,
aktiviteter and mätetal, their outcomes per follow-up and the assessments.

Every structural row carries its fiscal year and a ``code`` (stable across
years, so copying a year keeps identity); a mätetal's ``series`` is the same
across years, so its outcomes form a time series."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from federation.models import FiscalYear, FollowUp, Municipality, NaturalKeyManager, NaturalKeyModel, Unit
from federation.status import Tone


class Status(models.TextChoices):
    """The assessment of a goal, strategy or activity at a follow-up."""

    MET = "met", _("Uppfyllt")
    PARTLY_MET = "partly_met", _("Delvis uppfyllt")
    NOT_MET = "not_met", _("Ej uppfyllt")
    NOT_ASSESSABLE = "not_assessable", _("Ej bedömbart")
    IN_PROGRESS = "in_progress", _("Pågår")
    NOT_STARTED = "not_started", _("Ej påbörjad")

    @property
    def tone(self):
        """The one place where a status becomes a colour."""
        return STATUS_TONES[self]


STATUS_TONES = {
    Status.MET: Tone.GREEN,
    Status.PARTLY_MET: Tone.YELLOW,
    Status.NOT_MET: Tone.RED,
    Status.NOT_ASSESSABLE: Tone.GREY,
    Status.IN_PROGRESS: Tone.YELLOW,
    Status.NOT_STARTED: Tone.GREY,
}


def status_tone(value) -> str:
    """Tone for a status value (or grey when there is none)."""
    return Status(value).tone if value else Tone.GREY


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("Minst")
    AT_MOST = "at_most", _("Högst")
    EXACT = "exact", _("Exakt")
    QUALITATIVE = "qualitative", _("Kvalitativt")


class DimensionKind(models.TextChoices):
    NONE = "", _("Ingen uppdelning")
    MUNICIPALITY = "municipality", _("Per kommun")
    DELREGION = "delregion", _("Per delregion")


class YearItem(NaturalKeyModel):
    """A row that belongs to one fiscal year and is known by a code within it."""

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("verksamhetsår"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(
        _("kod"), max_length=80, help_text=_("Stabil nyckel inom året; behålls när målen kopieras till nästa år.")
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    NATURAL_KEY = ("fiscal_year__year", "code")
    objects = NaturalKeyManager()

    class Meta:
        abstract = True


class OverallGoal(NaturalKeyModel):
    """The federation's overall strategic goal for a year (4.1)."""

    fiscal_year = models.OneToOneField(
        FiscalYear, verbose_name=_("verksamhetsår"), on_delete=models.PROTECT, related_name="overall_goal"
    )
    title = models.CharField(_("rubrik"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    history = HistoricalRecords()

    NATURAL_KEY = ("fiscal_year__year",)
    objects = NaturalKeyManager()

    class Meta:
        verbose_name = _("övergripande mål")
        verbose_name_plural = _("övergripande mål")
        ordering = ["-fiscal_year__year"]

    def __str__(self):
        return f"{self.fiscal_year.year}: {self.title}"

    def owner_unit_ids(self):
        return set()


class DirectionGoal(YearItem):
    """An inriktningsmål; ``unit`` is set for a unit's own goal (e.g. Navet's)."""

    title = models.CharField(_("inriktningsmål"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("egen verksamhet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="direction_goals",
        help_text=_("Lämna tomt för förbundets gemensamma inriktningsmål."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inriktningsmål")
        verbose_name_plural = _("inriktningsmål")
        ordering = ["fiscal_year__year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "code"],
                name="directiongoal_unique_code",
                violation_error_message=_("Det finns redan ett inriktningsmål med den koden detta år."),
            ),
        ]

    def __str__(self):
        return self.title

    def owner_unit_ids(self):
        return {self.unit_id} if self.unit_id else set()


class Strategy(YearItem):
    direction_goal = models.ForeignKey(
        DirectionGoal, verbose_name=_("inriktningsmål"), on_delete=models.CASCADE, related_name="strategies"
    )
    title = models.CharField(_("strategi"), max_length=400)
    units = models.ManyToManyField(Unit, verbose_name=_("ansvariga verksamheter"), related_name="strategies")
    plan_unit = models.ForeignKey(
        Unit,
        verbose_name=_("i verksamhetsplan för"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_strategies",
        help_text=_("Sätts för strategier i en verksamhets egen plan (t.ex. Navets), som redovisas i egen rapportdel."),
    )
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("strategi")
        verbose_name_plural = _("strategier")
        ordering = ["direction_goal__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "code"],
                name="strategy_unique_code",
                violation_error_message=_("Det finns redan en strategi med den koden detta år."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.direction_goal_id and self.fiscal_year_id and self.direction_goal.fiscal_year_id != self.fiscal_year_id:
            raise ValidationError({"direction_goal": _("Inriktningsmålet hör till ett annat år.")})

    def owner_unit_ids(self):
        return {unit.pk for unit in self.units.all()} | ({self.plan_unit_id} if self.plan_unit_id else set())


class Activity(YearItem):
    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategi"), on_delete=models.CASCADE, related_name="activities"
    )
    number = models.CharField(_("nummer"), max_length=10, blank=True, help_text=_("T.ex. 1 i Navets numrerade mål."))
    title = models.TextField(_("aktivitet"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("ansvarig verksamhet"), on_delete=models.PROTECT, related_name="activities"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["strategy__direction_goal__order", "strategy__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "code"],
                name="activity_unique_code",
                violation_error_message=_("Det finns redan en aktivitet med den koden detta år."),
            ),
        ]

    def __str__(self):
        prefix = f"{self.number}. " if self.number else ""
        return f"{prefix}{self.title}"

    def clean(self):
        if self.strategy_id and self.fiscal_year_id and self.strategy.fiscal_year_id != self.fiscal_year_id:
            raise ValidationError({"strategy": _("Strategin hör till ett annat år.")})

    def owner_unit_ids(self):
        return {self.unit_id}


class Indicator(NaturalKeyModel):
    """A mätetal, attached to a strategy or to an activity."""

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("verksamhetsår"), on_delete=models.PROTECT, related_name="+"
    )
    series = models.SlugField(
        _("serie"), max_length=80, help_text=_("Samma nyckel alla år, så att utfallen bildar en tidsserie.")
    )
    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategi"), on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("aktivitet"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
    )
    name = models.CharField(_("mätetal"), max_length=300)
    unit_of_measure = models.CharField(_("enhet"), max_length=50, blank=True, help_text=_("T.ex. antal, placering, %."))
    direction = models.CharField(_("riktning"), max_length=12, choices=Direction.choices, default=Direction.AT_LEAST)
    baseline = models.DecimalField(_("utgångsvärde"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("målvärde"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_text = models.CharField(_("målvärde i ord"), max_length=300, blank=True)
    is_share = models.BooleanField(_("andel"), default=False, help_text=_("Utfallet anges som täljare och nämnare."))
    dimension = models.CharField(_("uppdelning"), max_length=12, choices=DimensionKind.choices, blank=True, default="")
    order = models.PositiveIntegerField(_("ordning"), default=0)
    history = HistoricalRecords()

    NATURAL_KEY = ("fiscal_year__year", "series")
    objects = NaturalKeyManager()

    class Meta:
        verbose_name = _("mätetal")
        verbose_name_plural = _("mätetal")
        ordering = ["fiscal_year__year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "series"],
                name="indicator_unique_series_per_year",
                violation_error_message=_("Mätetalsserien finns redan detta år."),
            ),
            models.CheckConstraint(
                condition=(Q(strategy__isnull=False) & Q(activity__isnull=True))
                | (Q(strategy__isnull=True) & Q(activity__isnull=False)),
                name="indicator_strategy_xor_activity",
                violation_error_message=_("Ett mätetal hör till antingen en strategi eller en aktivitet."),
            ),
            models.CheckConstraint(
                condition=Q(direction__in=[c.value for c in Direction]),
                name="indicator_direction_valid",
                violation_error_message=_("Okänd riktning för målvärdet."),
            ),
            models.CheckConstraint(
                condition=~Q(direction="qualitative") | Q(target__isnull=True),
                name="indicator_qualitative_no_numeric_target",
                violation_error_message=_("Ett kvalitativt mätetal har inget numeriskt målvärde."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        owner = self.strategy or self.activity
        if owner is not None and self.fiscal_year_id and owner.fiscal_year_id != self.fiscal_year_id:
            raise ValidationError(_("Mätetalet måste höra till samma år som sin strategi eller aktivitet."))

    @property
    def owner(self):
        return self.activity if self.activity_id else self.strategy

    def owner_unit_ids(self):
        return self.owner.owner_unit_ids()

    @property
    def target_display(self):
        if self.target is None:
            return self.target_text
        unit = f" {self.unit_of_measure}" if self.unit_of_measure else ""
        try:  # as get_direction_display(), without hashing every lazy label of the choices (pages list many)
            direction = Direction(self.direction).label
        except ValueError:
            direction = self.direction
        return f"{direction} {format_number(self.target)}{unit}"


class TargetRevision(models.Model):
    """A mätetal's målvärde changed during the year: the old and the new value, when, by whom and why
    (written by ``services.indicator_target_revise``; the report shows both values)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("mätetal"), on_delete=models.CASCADE, related_name="target_revisions"
    )
    old_target = models.DecimalField(_("tidigare målvärde"), max_digits=14, decimal_places=2, null=True, blank=True)
    old_target_text = models.CharField(_("tidigare målvärde i ord"), max_length=300, blank=True)
    new_target = models.DecimalField(_("nytt målvärde"), max_digits=14, decimal_places=2, null=True, blank=True)
    new_target_text = models.CharField(_("nytt målvärde i ord"), max_length=300, blank=True)
    changed_at = models.DateTimeField(_("ändrat"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrat av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("varför målvärdet ändras"))

    class Meta:
        verbose_name = _("ändrat målvärde")
        verbose_name_plural = _("ändrade målvärden")
        ordering = ["indicator", "changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="targetrevision_reason_required",
                violation_error_message=_("Ange varför målvärdet ändras."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.old_display} → {self.new_display} ({self.changed_at:%Y-%m-%d})"

    def _display(self, target, text):
        return Indicator(
            target=target,
            target_text=text,
            direction=self.indicator.direction,
            unit_of_measure=self.indicator.unit_of_measure,
        ).target_display

    @property
    def old_display(self) -> str:
        return self._display(self.old_target, self.old_target_text) or "–"

    @property
    def new_display(self) -> str:
        return self._display(self.new_target, self.new_target_text) or "–"


def format_number(value) -> str:
    """Swedish number: space as thousands separator, comma as decimal sign, no trailing zeros."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        text = f"{int(value):,}".replace(",", "\u00a0")
    else:
        text = f"{value.normalize():,.{max(0, -value.normalize().as_tuple().exponent)}f}"
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


class OutcomeQuerySet(models.QuerySet):
    def for_series(self, series):
        return self.filter(indicator__series=series).select_related(
            "indicator", "follow_up__fiscal_year", "municipality"
        )


class OutcomeManager(models.Manager.from_queryset(OutcomeQuerySet)):
    def get_by_natural_key(self, year, series, follow_up_year, follow_up_kind, municipality_code, delregion):
        municipality = (
            {"municipality__code": municipality_code} if municipality_code else {"municipality__isnull": True}
        )
        return self.get(
            indicator__fiscal_year__year=year,
            indicator__series=series,
            follow_up__fiscal_year__year=follow_up_year,
            follow_up__kind=follow_up_kind,
            delregion=delregion,
            **municipality,
        )


class Outcome(models.Model):
    """A mätetal's value for one follow-up, optionally for one dimension member."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("mätetal"), on_delete=models.CASCADE, related_name="outcomes"
    )
    follow_up = models.ForeignKey(FollowUp, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delregion = models.CharField(_("delregion"), max_length=100, blank=True)
    value = models.DecimalField(_("utfall"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(_("täljare"), max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("nämnare"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.CharField(_("utfall i ord"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrerat av"), on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("registrerat"), auto_now=True)
    changed_after_approval = models.BooleanField(_("ändrat efter godkännande"), default=False)
    history = HistoricalRecords()

    objects = OutcomeManager()

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        ordering = ["indicator", "follow_up__period_end", "municipality__name", "delregion"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) | Q(delregion=""),
                name="outcome_one_dimension",
                violation_error_message=_("Ett utfall gäller antingen en kommun eller en delregion, inte båda."),
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | (Q(denominator__gt=0) & Q(numerator__isnull=False)),
                name="outcome_share_complete",
                violation_error_message=_("En andel behöver både täljare och en nämnare större än noll."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(numerator__isnull=True) & Q(denominator__isnull=True)),
                name="outcome_value_or_share",
                violation_error_message=_("Ange antingen ett värde eller en andel (täljare och nämnare), inte båda."),
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(denominator__isnull=True) | Q(numerator__lte=F("denominator")),
                name="outcome_share_at_most_whole",
                violation_error_message=_("Täljaren kan inte vara större än nämnaren."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "follow_up"],
                condition=Q(municipality__isnull=True, delregion=""),
                name="outcome_unique_total",
                violation_error_message=_("Mätetalet har redan ett utfall för perioden."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "follow_up", "municipality"],
                condition=Q(municipality__isnull=False),
                name="outcome_unique_municipality",
                violation_error_message=_("Mätetalet har redan ett utfall för kommunen och perioden."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "follow_up", "delregion"],
                condition=~Q(delregion=""),
                name="outcome_unique_delregion",
                violation_error_message=_("Mätetalet har redan ett utfall för delregionen och perioden."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.follow_up}{self.dimension_label and ' ' + self.dimension_label}: {self.display}"

    def natural_key(self):
        return (
            self.indicator.fiscal_year.year,
            self.indicator.series,
            self.follow_up.fiscal_year.year,
            self.follow_up.kind,
            self.municipality.code if self.municipality_id else "",
            self.delregion,
        )

    @property
    def dimension_label(self) -> str:
        if self.municipality_id:
            return self.municipality.name
        return self.delregion

    @property
    def percentage(self) -> Decimal | None:
        """A share's percentage, computed (never typed), one decimal."""
        if self.numerator is None or not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(Decimal("0.1"))

    @property
    def effective_value(self) -> Decimal | None:
        return self.percentage if self.numerator is not None else self.value

    @property
    def display(self) -> str:
        if self.numerator is not None:
            share = format_number(self.percentage)
            return f"{format_number(self.numerator)} av {format_number(self.denominator)} ({share} %)"
        if self.value is not None:
            return format_number(self.value) + (f" ({self.text})" if self.text else "")
        return self.text


class AssessmentManager(models.Manager):
    def get_by_natural_key(self, follow_up_year, follow_up_kind, target_field, year, code):
        lookups = {f"{target_field}__fiscal_year__year": year}
        if target_field != "overall_goal":
            lookups[f"{target_field}__code"] = code
        return self.get(follow_up__fiscal_year__year=follow_up_year, follow_up__kind=follow_up_kind, **lookups)


class Assessment(models.Model):
    """The status and result text of one goal, strategy or activity at one follow-up."""

    follow_up = models.ForeignKey(FollowUp, verbose_name=_("uppföljning"), on_delete=models.PROTECT, related_name="+")
    overall_goal = models.ForeignKey(
        OverallGoal,
        verbose_name=_("övergripande mål"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
    )
    direction_goal = models.ForeignKey(
        DirectionGoal,
        verbose_name=_("inriktningsmål"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
    )
    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategi"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("aktivitet"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessments",
    )
    status = models.CharField(_("bedömning"), max_length=16, choices=Status.choices)
    suggested_status = models.CharField(
        _("föreslagen bedömning"),
        max_length=16,
        choices=Status.choices,
        blank=True,
        help_text=_("Räknas fram ur mätetalens utfall mot målvärdet."),
    )
    text = models.TextField(_("resultat"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bedömd av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("bedömd"), auto_now=True)
    changed_after_approval = models.BooleanField(_("ändrad efter godkännande"), default=False)
    history = HistoricalRecords()

    TARGET_FIELDS = ("overall_goal", "direction_goal", "strategy", "activity")
    objects = AssessmentManager()

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        ordering = ["follow_up__period_end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        overall_goal__isnull=False,
                        direction_goal__isnull=True,
                        strategy__isnull=True,
                        activity__isnull=True,
                    )
                    | Q(
                        overall_goal__isnull=True,
                        direction_goal__isnull=False,
                        strategy__isnull=True,
                        activity__isnull=True,
                    )
                    | Q(
                        overall_goal__isnull=True,
                        direction_goal__isnull=True,
                        strategy__isnull=False,
                        activity__isnull=True,
                    )
                    | Q(
                        overall_goal__isnull=True,
                        direction_goal__isnull=True,
                        strategy__isnull=True,
                        activity__isnull=False,
                    )
                ),
                name="assessment_exactly_one_target",
                violation_error_message=_("En bedömning gäller exakt ett mål, en strategi eller en aktivitet."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[c.value for c in Status]),
                name="assessment_status_valid",
                violation_error_message=_("Okänd bedömning."),
            ),
            models.CheckConstraint(
                condition=Q(suggested_status="") | Q(suggested_status__in=[c.value for c in Status]),
                name="assessment_suggested_status_valid",
                violation_error_message=_("Okänd föreslagen bedömning."),
            ),
        ] + [
            models.UniqueConstraint(
                fields=[target, "follow_up"],
                condition=Q(**{f"{target}__isnull": False}),
                name=f"assessment_one_per_{target}_and_follow_up",
                violation_error_message=_("Det finns redan en bedömning för uppföljningen."),
            )
            for target in ("overall_goal", "direction_goal", "strategy", "activity")
        ]

    def __str__(self):
        return f"{self.target} – {self.follow_up}: {self.get_status_display()}"

    def natural_key(self):
        return (
            self.follow_up.fiscal_year.year,
            self.follow_up.kind,
            self.target_field,
            self.target.fiscal_year.year,
            getattr(self.target, "code", ""),
        )

    @property
    def target_field(self) -> str:
        return next((name for name in self.TARGET_FIELDS if getattr(self, f"{name}_id")), "")

    @property
    def target(self):
        for name in self.TARGET_FIELDS:
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None

    @property
    def tone(self):
        return status_tone(self.status)

    @property
    def overridden(self) -> bool:
        """A person chose another status than the one the numbers suggest."""
        return bool(self.suggested_status) and self.suggested_status != self.status


class SubmissionQuerySet(models.QuerySet):
    def waiting(self):
        """Submitted and waiting for the förbundsdirektör (not approved, not sent back)."""
        return self.filter(state=Submission.State.SUBMITTED)

    def reported(self):
        """Submitted or approved: the unit has reported (a follow-up sent back has not)."""
        return self.filter(state__in=[Submission.State.SUBMITTED, Submission.State.APPROVED])

    def with_related(self):
        return self.select_related("unit", "follow_up__fiscal_year", "submitted_by", "approved_by", "returned_by")


class Submission(models.Model):
    """A unit's follow-up for a period: submitted by the unit, then approved (and locked) by the
    förbundsdirektör or sent back to the unit with a comment (open again, to be corrected and resubmitted)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Inskickad")
        APPROVED = "approved", _("Godkänd")
        RETURNED = "returned", _("Skickad tillbaka")

    unit = models.ForeignKey(Unit, verbose_name=_("verksamhet"), on_delete=models.PROTECT, related_name="+")
    follow_up = models.ForeignKey(FollowUp, verbose_name=_("uppföljning"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("läge"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inskickad av"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("inskickad"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkänd av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skickad tillbaka av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("skickad tillbaka"), null=True, blank=True)
    return_comment = models.TextField(
        _("kommentar till verksamheten"), blank=True, help_text=_("Varför uppföljningen skickades tillbaka.")
    )
    history = HistoricalRecords()

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inskickad uppföljning")
        verbose_name_plural = _("inskickade uppföljningar")
        ordering = ["follow_up__period_end", "unit__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "follow_up"],
                name="submission_one_per_unit_and_follow_up",
                violation_error_message=_("Verksamheten har redan skickat in uppföljningen."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["submitted", "approved", "returned"]),
                name="submission_state_valid",
                violation_error_message=_("Okänt läge."),
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(approved_at__isnull=False),
                name="submission_approved_has_time",
                violation_error_message=_("En godkänd uppföljning behöver ett godkännandedatum."),
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | (~Q(return_comment="") & Q(returned_at__isnull=False)),
                name="submission_returned_has_comment",
                violation_error_message=_("Skriv en kommentar om varför uppföljningen skickas tillbaka."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.follow_up}: {self.get_state_display()}"

    @property
    def locked(self):
        return self.state == self.State.APPROVED
