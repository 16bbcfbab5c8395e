"""The reminder sweep and the sending of its mails.

Exactly once: every (item, stage, recipient) is *claimed* by inserting a
``ReminderSent`` row under a uniqueness constraint before anything is sent. A
second sweep — later, concurrent, or a retried task — finds the row and sends
nothing. Sending is a separate step per mail under a short lease. Nothing is
ever given up: a mail that was not sent (SMTP refused it, a worker died, the
broker was down) carries the time of its next attempt, growing after each
failure up to ``REMINDER_RETRY_MAX``, and is queued again by the retry task
(every minute) and by every sweep. A mail failing for
``REMINDER_FAILURE_REPORT_AFTER`` is reported once to the förbundsdirektör and
``ADMINS``. A person without an e-mail address gets no mail: the direktör is
told, as of a vacant role."""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, mail_admins
from django.db import connection, transaction
from django.db.models import Max, Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone

from federation.models import ReminderMail, ReminderSent, ReminderSettings, Role, RoleAssignment
from federation.people import person_name
from federation.registry import reminder_providers
from federation.selectors import director_role_id, role_holders_by_role

from .items import ReminderItem, Stage

logger = logging.getLogger(__name__)


def send_lease() -> datetime.timedelta:
    """How long a mail being sent is leased to one worker; after that another may try."""
    return datetime.timedelta(seconds=settings.REMINDER_SEND_LEASE)


def reminder_retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed attempt: REMINDER_RETRY_BACKOFF doubled each time, capped."""
    seconds = settings.REMINDER_RETRY_BACKOFF * 2 ** min(max(attempts - 1, 0), 30)
    return datetime.timedelta(seconds=min(seconds, settings.REMINDER_RETRY_MAX))


@dataclass
class PlannedReminder:
    item: ReminderItem
    stage: str
    recipient_id: int


@dataclass
class SweepResult:
    planned: list[PlannedReminder] = field(default_factory=list)
    mail_ids: list[int] = field(default_factory=list)

    def lines(self):
        users = get_user_model().objects.in_bulk({p.recipient_id for p in self.planned})
        for p in sorted(self.planned, key=lambda p: (users[p.recipient_id].username, p.item.key, p.stage)):
            user = users[p.recipient_id]
            yield f"{person_name(user)} <{user.email}>: [{Stage(p.stage).label}] {p.item.title}"


def reminders_plan(*, today: datetime.date) -> list[PlannedReminder]:
    """Every (item, stage, recipient) due on ``today``, before checking what was already sent."""
    reminder_settings = ReminderSettings.load()
    director_id = director_role_id()  # once per sweep, for every provider
    items = [
        item
        for provider in reminder_providers()
        for item in provider(today=today, settings=reminder_settings, director_role_id=director_id)
    ]

    role_ids = {item.role_id for item in items if item.role_id}
    if director_id:
        role_ids.add(director_id)
    holders = role_holders_by_role(roles=role_ids, on=today)
    directors = holders.get(director_id, []) if director_id else []

    planned = []
    vacant_roles = set()
    for item in items:
        if item.stage == Stage.ESCALATED:
            recipients = [user.pk for user in directors]
        elif item.role_id:
            recipients = [user.pk for user in holders.get(item.role_id, [])]
            if not recipients:
                vacant_roles.add(item.role_id)
        else:
            recipients = list(item.user_ids)
        planned += [PlannedReminder(item=item, stage=item.stage, recipient_id=pk) for pk in recipients]

    if vacant_roles and reminder_settings.report_vacant_roles:
        planned += _vacant_role_reports(roles=vacant_roles, directors=directors, today=today)
    return _without_address_reported(planned, directors=directors)


def _without_address_reported(planned, *, directors):
    """Nothing is planned for a person without an e-mail address (their reminders stay unclaimed and go out once
    they have one); instead the förbundsdirektör is told once per person, as of a vacant role."""
    recipient_ids = {p.recipient_id for p in planned}
    without = get_user_model().objects.filter(pk__in=recipient_ids, email="").order_by("pk")
    if not without:
        return planned
    missing = {user.pk for user in without}
    planned = [p for p in planned if p.recipient_id not in missing]
    for user in without:
        item = ReminderItem(
            key=f"no-address:{user.pk}",
            stage=Stage.NO_ADDRESS,
            title=f"{user.get_full_name() or user.username} saknar e-postadress och får inga påminnelser",
            url=f"/admin/{user._meta.app_label}/{user._meta.model_name}/{user.pk}/change/",
            kind="Mottagare utan e-postadress",
        )
        planned += [
            PlannedReminder(item=item, stage=Stage.NO_ADDRESS, recipient_id=director.pk)
            for director in directors
            if director.pk not in missing
        ]
    return planned


def _vacant_role_reports(*, roles, directors, today):
    """A role that has items but no holder is reported to the förbundsdirektör once per vacancy."""
    last_end = dict(
        RoleAssignment.objects.filter(role__in=roles, valid_from__lte=today)
        .values("role")
        .annotate(last=Max("valid_to"))
        .values_list("role", "last")
    )
    reports = []
    for role in Role.objects.filter(pk__in=roles):
        since = last_end.get(role.pk)
        item = ReminderItem(
            key=f"vacant-role:{role.pk}:{since.isoformat() if since else 'never'}",
            stage=Stage.VACANT,
            title=f"Rollen {role.name} saknar innehavare och har uppgifter som förfaller",
            url=f"/admin/federation/role/{role.pk}/change/",
            kind="Roller utan innehavare",
        )
        reports += [PlannedReminder(item=item, stage=Stage.VACANT, recipient_id=user.pk) for user in directors]
    return reports


def reminders_sweep(*, today: datetime.date, dry_run: bool = False) -> SweepResult:
    """Claim every reminder not yet sent, in one mail per recipient. Returns the mails to send.

    The number of queries does not grow with the number of items: claims are
    inserted in bulk, ignoring those another sweep already holds, and then read
    back by mail to see which ones this sweep won."""
    planned = reminders_plan(today=today)
    already = _already_claimed(planned)
    planned = [p for p in planned if (p.item.key, p.stage, p.recipient_id) not in already]
    result = SweepResult(planned=planned)
    if dry_run or not planned:
        return result

    result.mail_ids = _reminders_claim(planned, today=today)
    return result


def _reminders_claim(planned, *, today) -> list[int]:
    """Claim ``planned`` in one new mail per recipient; returns the mails that won any claim. A mail is due for
    another attempt one lease after it is created, in case its queued task is lost."""
    by_recipient = defaultdict(list)
    for p in planned:
        by_recipient[p.recipient_id].append(p)

    next_attempt_at = timezone.now() + send_lease()
    with transaction.atomic():
        mails = ReminderMail.objects.bulk_create(
            [
                ReminderMail(recipient_id=recipient_id, sweep_date=today, next_attempt_at=next_attempt_at)
                for recipient_id in by_recipient
            ]
        )
        mail_by_recipient = {mail.recipient_id: mail for mail in mails}
        _claims_insert(planned, mail_by_recipient)
        # A concurrent sweep may have won some claims: keep only the mails that got any.
        won = set(ReminderSent.objects.filter(mail__in=mails).values_list("mail_id", flat=True).distinct())
        ReminderMail.objects.filter(pk__in=[m.pk for m in mails if m.pk not in won]).delete()
    return sorted(won)


CLAIM_BATCH = 2000
CLAIM_COLUMNS = ["item_key", "stage", "recipient_id", "mail_id", "title", "url", "due_date", "created_at"]
CLAIM_COLUMN_TYPES = ["varchar", "varchar", "bigint", "bigint", "varchar", "varchar", "date", "timestamptz"]


def _claims_insert(planned, mail_by_recipient):
    """Insert a claim per planned reminder, in its recipient's mail, skipping those another sweep already holds
    under the uniqueness constraint (ON CONFLICT DO NOTHING, as bulk_create's ignore_conflicts does). Built here
    rather than with bulk_create, whose model instance per claim was most of a 100 000-check sweep's time: on
    PostgreSQL one statement per batch with each column as an array, on SQLite one executemany per batch."""
    ops = connection.ops
    created_at = ops.adapt_datetimefield_value(timezone.now())
    insert = (
        f"INSERT INTO {ops.quote_name(ReminderSent._meta.db_table)} ({', '.join(map(ops.quote_name, CLAIM_COLUMNS))})"
    )
    postgres = connection.vendor == "postgresql"
    if postgres:
        arrays = ", ".join(f"%s::{kind}[]" for kind in CLAIM_COLUMN_TYPES)
        sql = f"{insert} SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING"
    else:
        sql = f"{insert} VALUES ({', '.join(['%s'] * len(CLAIM_COLUMNS))}) ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        for start in range(0, len(planned), CLAIM_BATCH):
            rows = [
                (
                    p.item.key,
                    p.stage,
                    p.recipient_id,
                    mail_by_recipient[p.recipient_id].pk,
                    p.item.title[:300],
                    p.item.url,
                    ops.adapt_datefield_value(p.item.due_date),
                    created_at,
                )
                for p in planned[start : start + CLAIM_BATCH]
            ]
            if postgres:
                cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
            else:
                cursor.executemany(sql, rows)


def _already_claimed(planned):
    """The (item, stage, recipient) triples already claimed, looked up in batches of item keys."""
    keys = sorted({p.item.key for p in planned})
    claimed = set()
    for start in range(0, len(keys), CLAIM_BATCH):
        batch = keys[start : start + CLAIM_BATCH]
        claimed.update(ReminderSent.objects.filter(item_key__in=batch).values_list("item_key", "stage", "recipient_id"))
    return claimed


def reminder_mails_due(*, now=None):
    """Unsent mails whose next attempt is due and that no worker holds: failed ones after their wait, and
    stranded ones (a lost task, a broker that was down, a worker that died) as soon as their lease expired."""
    now = now or timezone.now()
    return (
        ReminderMail.objects.filter(sent_at=None)
        .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
        .filter(Q(sending_until=None) | Q(sending_until__lt=now))
    )


def reminder_mails_retry(*, now=None) -> list[int]:
    """The mails to queue again now: those due (each then not again for a lease, so a backed-up queue is not
    flooded) and the förbundsdirektör's notices of mails failing too long."""
    now = now or timezone.now()
    notices = reminder_mail_failures_report(now=now)
    due = list(reminder_mails_due(now=now).values_list("pk", flat=True))
    reminder_mails_due(now=now).filter(pk__in=due).update(next_attempt_at=now + send_lease())
    return sorted(set(notices) | set(due))


def reminder_mail_failures_report(*, now=None) -> list[int]:
    """Mails still unsent ``REMINDER_FAILURE_REPORT_AFTER`` after their first failure are reported once: to the
    förbundsdirektör as reminders of their own (claimed, so once, and retried like any mail) and to ``ADMINS``
    (marked on the mail; unmarked again if that mail fails, so it is tried on the next run). Returns the notice
    mails to send."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(seconds=settings.REMINDER_FAILURE_REPORT_AFTER)
    failing = list(
        ReminderMail.objects.filter(sent_at=None, failure_reported_at=None, failing_since__lte=limit)
        .select_related("recipient")
        .order_by("pk")
    )
    if not failing:
        return []

    today = timezone.localdate(now)
    director_id = director_role_id()
    directors = role_holders_by_role(roles={director_id}, on=today).get(director_id, []) if director_id else []
    notices = set(ReminderSent.objects.filter(mail__in=failing, stage=Stage.FAILING).values_list("mail_id", flat=True))
    planned = []
    for mail in failing:
        if mail.pk in notices:
            continue  # a notice that fails itself goes to ADMINS only
        item = ReminderItem(
            key=f"mail-failing:{mail.pk}",
            stage=Stage.FAILING,
            title=(
                f"Påminnelsemejlet till {mail.recipient.get_full_name() or mail.recipient.username} har inte gått "
                f"fram sedan {timezone.localtime(mail.failing_since):%Y-%m-%d %H:%M} ({mail.attempts} försök)"
            ),
            url=f"/admin/federation/remindermail/{mail.pk}/change/",
            kind="Påminnelser som inte går fram",
        )
        planned += [PlannedReminder(item=item, stage=Stage.FAILING, recipient_id=d.pk) for d in directors if d.email]
    already = _already_claimed(planned)
    mail_ids = (
        _reminders_claim([p for p in planned if (p.item.key, p.stage, p.recipient_id) not in already], today=today)
        if planned
        else []
    )

    won = [
        m
        for m in failing
        if ReminderMail.objects.filter(pk=m.pk, failure_reported_at=None).update(failure_reported_at=now)
    ]
    if won and settings.ADMINS:
        lines = [
            f"- {m.recipient.get_full_name() or m.recipient.username} <{m.recipient.email}>, "
            f"svep {m.sweep_date:%Y-%m-%d}: "
            f"misslyckas sedan {timezone.localtime(m.failing_since):%Y-%m-%d %H:%M}, {m.attempts} försök, "
            f"senaste fel: {m.last_error}"
            for m in won
        ]
        try:
            mail_admins(
                f"{len(won)} påminnelsemejl har inte gått fram",
                "Dessa påminnelsemejl har inte kunnat skickas. De försöks igen tills de går fram.\n\n"
                + "\n".join(lines)
                + f"\n\n{settings.SITE_URL.rstrip('/')}/admin/federation/remindermail/?sent_at__isnull=True\n",
                fail_silently=False,
            )
        except Exception as error:
            logger.warning("Reporting %s failing reminder mails to ADMINS failed: %s", len(won), error)
            ReminderMail.objects.filter(pk__in=[m.pk for m in won]).update(failure_reported_at=None)
    return mail_ids


class ReminderSendError(Exception):
    pass


def reminder_mail_send(*, mail_id: int) -> bool:
    """Send one reminder mail. Returns False when it was already sent or is being sent by another worker.

    The lease (a conditional update only one worker can win) keeps two workers
    from sending the same mail at once; ``sent_at`` keeps a retried task from
    sending it again."""
    now = timezone.now()
    lease_until = now + send_lease()
    leased = (
        ReminderMail.objects.filter(pk=mail_id, sent_at=None)
        .filter(Q(sending_until=None) | Q(sending_until__lt=now))
        .update(sending_until=lease_until, next_attempt_at=lease_until)  # a worker that dies: again after the lease
    )
    if not leased:
        return False
    mail = ReminderMail.objects.select_related("recipient").get(pk=mail_id)
    reminders = list(mail.reminders.order_by("due_date", "title"))
    try:
        if not mail.recipient.email:
            raise ReminderSendError("Mottagaren saknar e-postadress")
        message = reminder_message(mail=mail, reminders=reminders)
        message.send(fail_silently=False)
    except Exception as error:
        failed_at = timezone.now()
        ReminderMail.objects.filter(pk=mail_id).update(
            attempts=mail.attempts + 1,
            last_error=(str(error) if isinstance(error, ReminderSendError) else f"{type(error).__name__}: {error}")[
                :2000
            ],
            sending_until=None,
            next_attempt_at=failed_at + reminder_retry_delay(mail.attempts + 1),
            failing_since=Coalesce("failing_since", Value(failed_at)),
        )
        logger.warning("Reminder mail %s to %s failed: %s", mail_id, mail.recipient.email, error)
        raise ReminderSendError(str(error)) from error
    # last_error and failing_since stay: the log shows that a mail went through only later, and why.
    ReminderMail.objects.filter(pk=mail_id).update(
        sent_at=timezone.now(), attempts=mail.attempts + 1, subject=message.subject, sending_until=None
    )
    return True


STAGE_ORDER = [
    Stage.FAILING,
    Stage.ESCALATED,
    Stage.VACANT,
    Stage.NO_ADDRESS,
    Stage.OVERDUE,
    Stage.DUE,
    Stage.UPCOMING,
]
# The notices (something happened), after the reminders.
STAGE_ORDER += [Stage.SUBMITTED, Stage.RETURNED, Stage.APPROVED, Stage.ADOPTED]


def reminder_message(*, mail, reminders) -> EmailMultiAlternatives:
    """The Swedish mail, plain text and HTML, listing every item by stage with links."""
    groups = []
    for stage in STAGE_ORDER + [stage for stage in Stage.values if stage not in STAGE_ORDER]:
        rows = [r for r in reminders if r.stage == stage]
        if rows:
            groups.append({"label": Stage(stage).label, "reminders": rows})
    count = len(reminders)
    subject = f"Påminnelse: {count} {'ärende' if count == 1 else 'ärenden'} att hantera"
    context = {"mail": mail, "groups": groups, "site_url": settings.SITE_URL.rstrip("/"), "count": count}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("federation/email/reminder.txt", context),
        to=[mail.recipient.email],
    )
    message.attach_alternative(render_to_string("federation/email/reminder.html", context), "text/html")
    return message
