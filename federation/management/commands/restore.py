"""Read a backup written by ``manage.py backup`` into an empty, migrated database and an empty media folder,
all or nothing, checking every checksum (federation.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from federation.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia från 'manage.py backup' till en tom, migrerad databas och en tom mapp för "
        "uppladdade filer (allt eller inget); kontrollsummorna kontrolleras."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Säkerhetskopian (.tar.gz)")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            summary = backup_restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Återställd från {path}: {summary.rows} rader i {summary.models} tabeller och {summary.files} "
                "filer, alla kontrollsummor stämmer"
            )
        )
