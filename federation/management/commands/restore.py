"""Read a backup written by ``manage.py backup`` into an empty, migrated database, all or nothing."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

from federation.models import Federation


class Command(BaseCommand):
    help = "Återställer en säkerhetskopia från 'manage.py backup' till en tom, migrerad databas (allt eller inget)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Säkerhetskopian (.json.gz)")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Filen finns inte: {path}")
        if Federation.objects.exists():
            raise CommandError(
                "Databasen innehåller redan data. Återställ till en tom databas (kör migrate på en ny databas först)."
            )
        # The backup holds the history itself: restoring must not write more of it.
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            # migrate installs the default periodic tasks; the backup holds the
            # organisation's own (perhaps edited) schedule, which replaces them.
            PeriodicTask.objects.all().delete()
            for schedule in (CrontabSchedule, IntervalSchedule, SolarSchedule, ClockedSchedule):
                schedule.objects.all().delete()
            call_command("loaddata", str(path), stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Återställd från {path}"))
