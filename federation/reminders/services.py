"""The reminder sweep and the sending of its mails.

Exactly once: every (item, stage, recipient) is *claimed* by inserting a
``ReminderSent`` row under a uniqueness constraint before anything is sent. A
second sweep — later, concurrent, or a retried task — finds the row and sends
nothing. Sending is a separate step per mail, retried with backoff; a mail that
was claimed but never sent (a crashed worker, a broker that was down) is picked
up again by the next sweep."""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone

from federation.models import ReminderMail, ReminderSent, ReminderSettings, Role, RoleAssignment
from federation.registry import reminder_providers
from federation.selectors import director_role_id, role_holders_by_role

from .items import ReminderItem, Stage

logger = logging.getLogger(__name__)

# A mail being sent is leased to one worker for this long; after that another may try.
SEND_LEASE = datetime.timedelta(minutes=10)
MAX_SEND_ATTEMPTS = 8


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
            yield f"{user.username} <{user.email}>: [{Stage(p.stage).label}] {p.item.title}"


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

    by_recipient = defaultdict(list)
    for p in planned:
        by_recipient[p.recipient_id].append(p)

    with transaction.atomic():
        mails = ReminderMail.objects.bulk_create(
            [ReminderMail(recipient_id=recipient_id, sweep_date=today) for recipient_id in by_recipient]
        )
        mail_by_recipient = {mail.recipient_id: mail for mail in mails}
        _claims_insert(planned, mail_by_recipient)
        # A concurrent sweep may have won some claims: keep only the mails that got any.
        won = set(ReminderSent.objects.filter(mail__in=mails).values_list("mail_id", flat=True).distinct())
        ReminderMail.objects.filter(pk__in=[m.pk for m in mails if m.pk not in won]).delete()
    result.mail_ids = sorted(won)
    return result


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


def reminder_mails_stranded(*, now=None):
    """Mails claimed over an hour ago and still not sent nor being sent (a lost task, a broker that was
    down, a worker that died): the next sweep queues them again, so nothing is lost."""
    now = now or timezone.now()
    return ReminderMail.objects.filter(
        sent_at=None, attempts__lt=MAX_SEND_ATTEMPTS, created_at__lt=now - datetime.timedelta(hours=1)
    ).filter(Q(sending_until=None) | Q(sending_until__lt=now))


class ReminderSendError(Exception):
    pass


def reminder_mail_send(*, mail_id: int) -> bool:
    """Send one reminder mail. Returns False when it was already sent or is being sent by another worker.

    The lease (a conditional update only one worker can win) keeps two workers
    from sending the same mail at once; ``sent_at`` keeps a retried task from
    sending it again."""
    now = timezone.now()
    leased = (
        ReminderMail.objects.filter(pk=mail_id, sent_at=None)
        .filter(Q(sending_until=None) | Q(sending_until__lt=now))
        .update(sending_until=now + SEND_LEASE)
    )
    if not leased:
        return False
    mail = ReminderMail.objects.select_related("recipient").get(pk=mail_id)
    reminders = list(mail.reminders.order_by("due_date", "title"))
    message = reminder_message(mail=mail, reminders=reminders)
    try:
        message.send(fail_silently=False)
    except Exception as error:
        ReminderMail.objects.filter(pk=mail_id).update(
            attempts=mail.attempts + 1, last_error=f"{type(error).__name__}: {error}"[:2000], sending_until=None
        )
        logger.warning("Reminder mail %s to %s failed: %s", mail_id, mail.recipient.email, error)
        raise ReminderSendError(str(error)) from error
    # last_error stays: the log shows that a mail went through only on a later attempt, and why.
    ReminderMail.objects.filter(pk=mail_id).update(
        sent_at=timezone.now(), attempts=mail.attempts + 1, subject=message.subject, sending_until=None
    )
    return True


STAGE_ORDER = [Stage.ESCALATED, Stage.VACANT, Stage.OVERDUE, Stage.DUE, Stage.UPCOMING]
# The notices (something happened), after the reminders.
STAGE_ORDER += [Stage.SUBMITTED, Stage.RETURNED, Stage.APPROVED, Stage.ADOPTED]


def reminder_message(*, mail, reminders) -> EmailMultiAlternatives:
    """The Swedish mail, plain text and HTML, listing every item by stage with links."""
    groups = []
    for stage in STAGE_ORDER:
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
