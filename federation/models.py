"""The organisation itself: members, units, roles and who holds them, fiscal
years with their follow-up dates, and the Direktion with its decisions."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .people import person_name


class NaturalKeyManager(models.Manager):
    """Looks objects up by the lookups their model lists in ``NATURAL_KEY``.

    Fixtures refer to rows by these keys, so loading them twice updates
    instead of duplicating."""

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.model.NATURAL_KEY, values, strict=True)))


class NaturalKeyModel(models.Model):
    NATURAL_KEY: tuple[str, ...] = ("name",)

    class Meta:
        abstract = True

    def natural_key(self):
        values = []
        for lookup in self.NATURAL_KEY:
            value = self
            for attname in lookup.split("__"):
                value = getattr(value, attname)
            values.append(value.isoformat() if isinstance(value, datetime.date) else value)
        return tuple(values)


class Federation(NaturalKeyModel):
    name = models.CharField(_("namn"), max_length=200, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=100)
    organisation_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    founded = models.PositiveIntegerField(_("bildat år"), null=True, blank=True)

    objects = NaturalKeyManager()

    class Meta:
        verbose_name = _("kommunalförbund")
        verbose_name_plural = _("kommunalförbund")

    def __str__(self):
        return self.short_name or self.name


class Municipality(NaturalKeyModel):
    class Membership(models.TextChoices):
        MEMBER = "member", _("Medlem")
        ADJUNCT = "adjunct", _("Adjungerad")

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField(_("namn"), max_length=100)
    code = models.CharField(
        _("kommunkod"), max_length=4, unique=True, help_text=_("Fyra siffror, t.ex. 1490 för Borås.")
    )
    membership = models.CharField(_("medlemskap"), max_length=10, choices=Membership.choices)
    member_from = models.DateField(_("medlem från"))
    member_to = models.DateField(_("medlem till"), null=True, blank=True)

    NATURAL_KEY = ("code",)
    objects = NaturalKeyManager()

    class Meta:
        verbose_name = _("medlemskommun")
        verbose_name_plural = _("medlemskommuner")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{4}$"), name="municipality_code_four_digits"),
            models.CheckConstraint(
                condition=Q(member_to__isnull=True) | Q(member_to__gte=F("member_from")),
                name="municipality_member_to_after_from",
            ),
            models.CheckConstraint(
                condition=Q(membership__in=["member", "adjunct"]), name="municipality_membership_valid"
            ),
            models.UniqueConstraint(fields=["federation", "name"], name="municipality_unique_name"),
        ]

    def __str__(self):
        return self.name


class Unit(NaturalKeyModel):
    """A verksamhet or resultatenhet, or one of the kansli's areas (with a parent)."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Kansli")
        AREA = "area", _("Område inom kansliet")
        UNIT = "unit", _("Verksamhet")

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("namn"), max_length=100, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=50, blank=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self", verbose_name=_("överordnad"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    lead_role = models.ForeignKey(
        "Role",
        verbose_name=_("ledande roll"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_units",
        help_text=_("Rollen vars innehavare rapporterar enhetens mål och aktiviteter."),
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("aktiv"), default=True)

    objects = NaturalKeyManager()

    class Meta:
        verbose_name = _("verksamhet")
        verbose_name_plural = _("verksamheter")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="unit_not_own_parent"),
            models.CheckConstraint(condition=Q(kind__in=["office", "area", "unit"]), name="unit_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("En verksamhet kan inte ligga under sig själv.")})
            ancestor = ancestor.parent


class Role(NaturalKeyModel):
    """A function in the organisation (e.g. "Administrativ chef"), held by people over time."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    is_director = models.BooleanField(
        _("förbundsdirektör"), default=False, help_text=_("Får eskaleringar och rapporter om roller utan innehavare.")
    )

    objects = NaturalKeyManager()

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_director"], condition=Q(is_director=True), name="role_one_director"),
        ]

    def __str__(self):
        return self.name


class RoleAssignmentQuerySet(models.QuerySet):
    def active_on(self, day):
        """Assignments in force on ``day`` (valid_to is inclusive)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def overlapping(self, *, user, role, valid_from, valid_to):
        qs = self.filter(user=user, role=role).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        if valid_to is not None:
            qs = qs.filter(valid_from__lte=valid_to)
        return qs


class RoleAssignment(models.Model):
    """A person holds a role from one date to another (both inclusive; open-ended when valid_to is empty).

    Overlapping assignments of the same person to the same role are rejected by
    ``clean()`` and, in the database, by a trigger (see migration 0002)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.ForeignKey(Role, verbose_name=_("roll"), on_delete=models.PROTECT, related_name="assignments")
    valid_from = models.DateField(_("från och med"))
    valid_to = models.DateField(_("till och med"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rolltilldelning")
        verbose_name_plural = _("rolltilldelningar")
        ordering = ["role__name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="roleassignment_valid_to_after_from",
            ),
            models.UniqueConstraint(fields=["user", "role", "valid_from"], name="roleassignment_unique_start"),
        ]
        indexes = [models.Index(fields=["role", "valid_from", "valid_to"], name="roleassignment_role_dates")]

    def __str__(self):
        until = self.valid_to.isoformat() if self.valid_to else "tills vidare"
        return f"{person_name(self.user)} – {self.role} ({self.valid_from:%Y-%m-%d}–{until})"

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Slutdatum kan inte ligga före startdatum.")})
        if self.user_id and self.role_id and self.valid_from:
            overlapping = RoleAssignment.objects.overlapping(
                user=self.user, role=self.role, valid_from=self.valid_from, valid_to=self.valid_to
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("Personen innehar redan rollen under en del av perioden."))


class FiscalYearQuerySet(models.QuerySet):
    def containing(self, day):
        return self.filter(start__lte=day, end__gte=day)


class FiscalYear(NaturalKeyModel):
    year = models.PositiveIntegerField(_("år"), unique=True)
    start = models.DateField(_("startdatum"))
    end = models.DateField(_("slutdatum"))
    closed = models.BooleanField(_("stängt"), default=False, help_text=_("Ett stängt år kan inte längre ändras."))

    NATURAL_KEY = ("year",)
    objects = NaturalKeyManager.from_queryset(FiscalYearQuerySet)()

    class Meta:
        verbose_name = _("verksamhetsår")
        verbose_name_plural = _("verksamhetsår")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="fiscalyear_end_after_start"),
            models.CheckConstraint(condition=Q(year__gte=1990, year__lte=2200), name="fiscalyear_year_plausible"),
        ]

    def __str__(self):
        return str(self.year)

    @classmethod
    def calendar(cls, year):
        """Unsaved fiscal year for a calendar year, the usual case for a kommunalförbund."""
        return cls(year=year, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))

    def contains(self, day):
        return self.start <= day <= self.end


class FollowUpQuerySet(models.QuerySet):
    def upcoming(self, day):
        return self.filter(due_date__gte=day).order_by("due_date")

    def previous(self, follow_up):
        """The follow-up reported before ``follow_up`` (the latest period ending before its): the same
        year's delår for a helår, the previous year's helår for a delår; None for the first."""
        return (
            self.filter(period_end__lt=follow_up.period_end)
            .select_related("fiscal_year")
            .order_by("-period_end")
            .first()
        )


class FollowUp(NaturalKeyModel):
    """A follow-up of the year: delår (interim) or helår (full year)."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Delår")
        ANNUAL = "annual", _("Helår")

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("verksamhetsår"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(_("uppföljning"), max_length=10, choices=Kind.choices)
    period_end = models.DateField(_("avser period till och med"))
    due_date = models.DateField(_("rapporteras senast"))

    NATURAL_KEY = ("fiscal_year__year", "kind")
    objects = NaturalKeyManager.from_queryset(FollowUpQuerySet)()

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["fiscal_year__year", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "kind"], name="followup_one_per_kind_and_year"),
            models.CheckConstraint(condition=Q(due_date__gte=F("period_end")), name="followup_due_after_period_end"),
            models.CheckConstraint(condition=Q(kind__in=["interim", "annual"]), name="followup_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.fiscal_year.year}"

    @property
    def as_of_label(self) -> str:
        """E.g. "per 2019-08-31", as the reports say it."""
        return gettext("per %(date)s") % {"date": f"{self.period_end:%Y-%m-%d}"}

    def clean(self):
        year = self.fiscal_year if self.fiscal_year_id else None
        if year and self.period_end and not year.contains(self.period_end):
            raise ValidationError({"period_end": _("Perioden måste sluta inom verksamhetsåret.")})


class DecisionBody(NaturalKeyModel):
    """A body that takes decisions, above all the Direktion."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="decision_bodies")
    name = models.CharField(_("namn"), max_length=100, unique=True)
    is_board = models.BooleanField(
        _("är direktionen"), default=False, help_text=_("Förbundets beslutande organ tillika förbundsstyrelse.")
    )

    objects = NaturalKeyManager()

    class Meta:
        verbose_name = _("beslutande organ")
        verbose_name_plural = _("beslutande organ")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["federation"], condition=Q(is_board=True), name="decisionbody_one_board"),
        ]

    def __str__(self):
        return self.name


class Decision(NaturalKeyModel):
    class Kind(models.TextChoices):
        CONTROL_PLAN = "control_plan", _("Internkontrollplan")
        CONTROL_REPORT = "control_report", _("Avrapportering av intern kontroll")
        OTHER = "other", _("Övrigt")

    body = models.ForeignKey(DecisionBody, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(
        _("typ av ärende"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_("En internkontrollplan antas bara genom ett beslut av typen Internkontrollplan."),
    )
    date = models.DateField(_("datum"))
    paragraph = models.CharField(_("paragraf"), max_length=20, blank=True, help_text=_("T.ex. § 87"))
    subject = models.CharField(_("ärende"), max_length=300)
    reference = models.CharField(_("diarienummer"), max_length=50, blank=True)

    NATURAL_KEY = ("body__name", "date", "subject")
    objects = NaturalKeyManager()

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["-date", "paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "date", "paragraph"],
                condition=~Q(paragraph=""),
                name="decision_unique_paragraph",
                violation_error_message=_("Organet har redan ett beslut med den paragrafen det datumet."),
            ),
            models.UniqueConstraint(
                fields=["body", "date", "subject"],
                name="decision_unique_subject",
                violation_error_message=_("Organet har redan ett beslut i det ärendet det datumet."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["control_plan", "control_report", "other"]),
                name="decision_kind_valid",
                violation_error_message=_("Okänd typ av ärende."),
            ),
        ]

    def __str__(self):
        paragraph = f" {self.paragraph}" if self.paragraph else ""
        return f"{self.body} {self.date:%Y-%m-%d}{paragraph}: {self.subject}"

    def citation(self) -> str:
        """How a report cites the decision: "Direktionen 2019-12-06, § 45" (the paragraph when there is one)."""
        paragraph = f", {self.paragraph}" if self.paragraph else ""
        return f"{self.body} {self.date:%Y-%m-%d}{paragraph}"


class ReminderSettings(models.Model):
    """Lead times and stages of the reminders; one row, edited by the förbundsdirektör in the admin."""

    check_lead_days_long = models.PositiveSmallIntegerField(
        _("dagar före förfallodag, kontroller kvartalsvis eller glesare"), default=28
    )
    check_lead_days_monthly = models.PositiveSmallIntegerField(
        _("dagar före förfallodag, månadsvisa kontroller"), default=7
    )
    overdue_after_days = models.PositiveSmallIntegerField(_("dagar efter förfallodag: försenad"), default=7)
    escalate_after_days = models.PositiveSmallIntegerField(
        _("dagar efter förfallodag: eskalera till förbundsdirektören"), default=30
    )
    follow_up_lead_days = models.PositiveSmallIntegerField(_("dagar före uppföljningsdatum (delår, helår)"), default=21)
    action_lead_days = models.PositiveSmallIntegerField(_("dagar före en åtgärds sista datum"), default=14)
    send_upcoming = models.BooleanField(_("påminn före förfallodag"), default=True)
    send_due = models.BooleanField(_("påminn på förfallodagen"), default=True)
    send_overdue = models.BooleanField(_("påminn när det är försenat"), default=True)
    send_escalation = models.BooleanField(_("eskalera till förbundsdirektören"), default=True)
    report_vacant_roles = models.BooleanField(_("rapportera roller utan innehavare"), default=True)

    class Meta:
        verbose_name = _("inställningar för påminnelser")
        verbose_name_plural = _("inställningar för påminnelser")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="remindersettings_singleton"),
            models.CheckConstraint(
                condition=Q(escalate_after_days__gte=F("overdue_after_days")),
                name="remindersettings_escalate_after_overdue",
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls):
        """The settings row, or the defaults (unsaved) until the förbundsdirektör first saves them."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class ReminderMail(models.Model):
    """One e-mail to one recipient from one sweep, listing all their items."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mottagare"), on_delete=models.CASCADE, related_name="reminder_mails"
    )
    sweep_date = models.DateField(_("svepets datum"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    sending_until = models.DateTimeField(_("sändning pågår till"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_error = models.TextField(_("senaste fel"), blank=True)
    subject = models.CharField(_("ämne"), max_length=200, blank=True)
    # Never given up: an unsent mail is queued again once this time has passed (its lease free), by the
    # frequent retry task and by every sweep. Set at creation (if the queued task is lost) and after each failure.
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    failing_since = models.DateTimeField(_("misslyckas sedan"), null=True, blank=True)
    failure_reported_at = models.DateTimeField(_("felet rapporterat"), null=True, blank=True)

    class Meta:
        verbose_name = _("påminnelsemejl")
        verbose_name_plural = _("påminnelsemejl")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="remindermail_pending")]

    def __str__(self):
        return f"{self.recipient} {self.sweep_date:%Y-%m-%d}"

    @property
    def state(self) -> str:
        """Skickat, väntar or misslyckas sedan …, in Swedish for the admin."""
        if self.sent_at:
            return gettext("skickat %(when)s") % {"when": date_format(timezone.localtime(self.sent_at), "Y-m-d H:i")}
        if self.failing_since:
            return gettext("misslyckas sedan %(when)s (%(attempts)s försök)") % {
                "when": date_format(timezone.localtime(self.failing_since), "Y-m-d H:i"),
                "attempts": self.attempts,
            }
        return gettext("väntar")


class ReminderSent(models.Model):
    """A reminder of one item at one stage to one person: claimed once, ever (the uniqueness constraint)."""

    class Stage(models.TextChoices):
        UPCOMING = "upcoming", _("Förfaller snart")
        DUE = "due", _("Förfaller i dag")
        OVERDUE = "overdue", _("Försenad")
        ESCALATED = "escalated", _("Eskalerad till förbundsdirektören")
        VACANT = "vacant", _("Roll utan innehavare")
        NO_ADDRESS = "noaddress", _("Mottagare utan e-postadress")
        FAILING = "failing", _("Påminnelsemejl som inte går fram")
        # Notices: something happened that the recipient should know of (sent once, like the reminders).
        SUBMITTED = "submitted", _("Inskickade uppföljningar att godkänna")
        APPROVED = "approved", _("Godkända uppföljningar")
        RETURNED = "returned", _("Uppföljningar som skickats tillbaka")
        ADOPTED = "adopted", _("Antagen internkontrollplan: dina kontroller")

    item_key = models.CharField(_("ärende"), max_length=100)
    stage = models.CharField(_("steg"), max_length=10, choices=Stage.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mottagare"), on_delete=models.CASCADE, related_name="+"
    )
    mail = models.ForeignKey(ReminderMail, verbose_name=_("mejl"), on_delete=models.CASCADE, related_name="reminders")
    title = models.CharField(_("rubrik"), max_length=300)
    url = models.CharField(_("länk"), max_length=300, blank=True)
    due_date = models.DateField(_("förfallodag"), null=True, blank=True)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("skickad påminnelse")
        verbose_name_plural = _("påminnelselogg")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["item_key", "stage", "recipient"], name="remindersent_once"),
        ]

    def __str__(self):
        return f"{self.title} – {self.get_stage_display()} – {self.recipient}"


class BackgroundJob(models.Model):
    """What every job run in the background with a page that follows it has (a report export, the revisorer's
    evidence pack): its status, how far it has come (``progress`` in per cent) and a message."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    message = models.CharField(_("meddelande"), max_length=500, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="%(class)s_progress_0_100",
                violation_error_message=_("Förloppet måste vara mellan 0 och 100 procent."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="%(class)s_status_valid",
                violation_error_message=_("Okänd status."),
            ),
        ]

    @property
    def is_finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}


class ReportExport(BackgroundJob):
    """One export of the year-end report, run as a background task: what was
    asked for, how far it has come, and the finished file."""

    class Format(models.TextChoices):
        DOCX = "docx", _("Word (DOCX)")
        PDF = "pdf", _("PDF")
        XLSX = "xlsx", _("Excel (XLSX)")
        HTML = "html", _("HTML")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("beställd av"), on_delete=models.CASCADE, related_name="report_exports"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("verksamhetsår"), on_delete=models.CASCADE, related_name="report_exports"
    )
    format = models.CharField(_("format"), max_length=5, choices=Format.choices)
    options = models.JSONField(_("val"), default=dict, blank=True, help_text=_("Valda avsnitt och verksamheter."))
    file = models.FileField(_("fil"), upload_to="rapporter/%Y/", blank=True)
    created = models.DateTimeField(_("beställd"), auto_now_add=True)
    finished = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("rapportexport")
        verbose_name_plural = _("rapportexporter")
        ordering = ["-created"]
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.CheckConstraint(
                condition=Q(format__in=["docx", "pdf", "xlsx", "html"]),
                name="reportexport_format_valid",
                violation_error_message=_("Okänt format."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""),
                name="reportexport_done_has_file",
                violation_error_message=_("En klar export måste ha en fil."),
            ),
        ]

    def __str__(self):
        return f"{self.fiscal_year} {self.get_format_display()} – {self.get_status_display()}"

    @property
    def is_interim(self) -> bool:
        """A delårsrapport (the follow-up chosen is the delår), else the årsredovisning."""
        return (self.options or {}).get("follow_up") == FollowUp.Kind.INTERIM

    @property
    def report_name(self) -> str:
        """ "delårsrapport" or "årsredovisning": what the page and the file call it."""
        return _("delårsrapport") if self.is_interim else _("årsredovisning")


class ImportLayout(models.Model):
    """A column mapping a user gave for a file's headers, remembered for the next file with the same headers."""

    kind = models.CharField(_("import"), max_length=40)
    signature = models.CharField(_("rubriker"), max_length=64)
    headers = models.JSONField(_("rubriker i filen"), default=list)
    mapping = models.JSONField(_("kolumn → fält"), default=dict)
    updated_at = models.DateTimeField(_("senast använd"), auto_now=True)

    class Meta:
        verbose_name = _("importlayout")
        verbose_name_plural = _("importlayouter")
        constraints = [
            models.UniqueConstraint(fields=["kind", "signature"], name="importlayout_one_per_headers"),
        ]

    def __str__(self):
        return f"{self.kind}: {', '.join(self.headers)}"

    @staticmethod
    def signature_of(headers) -> str:
        """The same for the same non-empty headers, whatever their case and spacing."""
        from .sheets import normalise_header

        names = [normalise_header(h) for h in headers]
        return hashlib.sha256("|".join(n for n in names if n).encode()).hexdigest()
