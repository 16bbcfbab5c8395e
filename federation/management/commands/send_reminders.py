import datetime

from django.core.management.base import BaseCommand, CommandError

from federation import dates
from federation.reminders.services import (
    ReminderSendError,
    reminder_mail_send,
    reminder_mails_retry,
    reminders_sweep,
)


class Command(BaseCommand):
    help = "Kör påminnelsesvepet för hand och skriver ut vad som skickas (samma svep som Celery beat kör)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Visa vad som skulle skickas, skicka inget.")
        parser.add_argument("--today", help="Kör svepet som om det vore detta datum (ÅÅÅÅ-MM-DD).")

    def handle(self, *args, **options):
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else dates.today()
        except ValueError as error:
            raise CommandError(f"Ogiltigt datum: {options['today']} (skriv ÅÅÅÅ-MM-DD)") from error

        result = reminders_sweep(today=today, dry_run=options["dry_run"])
        lines = list(result.lines())
        verb = "Skulle skicka" if options["dry_run"] else "Skickar"
        self.stdout.write(f"{verb} {len(lines)} påminnelser ({today:%Y-%m-%d}):")
        for line in lines:
            self.stdout.write(f"  {line}")
        if options["dry_run"]:
            return

        failed = 0
        mail_ids = set(result.mail_ids) | set(reminder_mails_retry())
        for mail_id in sorted(mail_ids):
            try:
                reminder_mail_send(mail_id=mail_id)
            except ReminderSendError as error:
                failed += 1
                self.stderr.write(f"Mejl {mail_id} kunde inte skickas: {error} (försöks igen vid nästa svep)")
        self.stdout.write(self.style.SUCCESS(f"{len(mail_ids) - failed} mejl skickade, {failed} misslyckade."))
