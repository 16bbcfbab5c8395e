"""A full, restorable copy: ``manage.py backup`` writes it, ``manage.py restore FILE`` reads it back
(federation.backup)."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from federation.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Skriver en fullständig säkerhetskopia (tar.gz): alla rader i databasen och alla uppladdade filer, med "
        "kontrollsummor. Läses tillbaka med 'manage.py restore FIL' i en nymigrerad, tom databas."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="Fil att skriva (.tar.gz); standard var/backups/<tid>.tar.gz")

    def handle(self, *args, output=None, **options):
        if output:
            path = Path(output)
        else:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            path = Path(settings.VAR_DIR) / "backups" / f"boras-{stamp}.tar.gz"
        if not path.name.endswith(".tar.gz"):
            raise CommandError("Säkerhetskopian måste ha filändelsen .tar.gz")
        try:
            summary = backup_write(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Säkerhetskopia skriven: {path} ({summary.rows} rader i {summary.models} tabeller, "
                f"{summary.files} filer)"
            )
        )
        self.stdout.write(f"Återställ i en tom, migrerad databas med: manage.py restore {path}")
