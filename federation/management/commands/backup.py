"""A full, restorable copy of the data: ``manage.py backup`` writes it, ``manage.py restore FILE`` reads it back."""

import datetime
import gzip
import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Rebuilt by migrate or of no value in a copy: permissions and content types
# (natural keys point at them), sessions, the login-failure log, task results.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
    "django_celery_results",
]


class Command(BaseCommand):
    help = (
        "Skriver en fullständig säkerhetskopia av alla data (JSON, gzip) som kan läsas tillbaka med "
        "'manage.py restore FIL' i en nymigrerad, tom databas."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="Fil att skriva (.json.gz); standard var/backups/<tid>.json.gz")

    def handle(self, *args, output=None, **options):
        if output:
            path = Path(output)
        else:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            path = Path(settings.VAR_DIR) / "backups" / f"boras-{stamp}.json.gz"
        if not path.name.endswith(".json.gz"):
            raise CommandError("Säkerhetskopian måste ha filändelsen .json.gz")
        path.parent.mkdir(parents=True, exist_ok=True)

        buffer = io.StringIO()
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            natural_foreign=True,
            natural_primary=True,
            indent=None,
            stdout=buffer,
        )
        partial = path.with_name(path.name + ".part")
        with gzip.open(partial, "wt", encoding="utf-8") as file:
            file.write(buffer.getvalue())
        partial.replace(path)  # never leave a half-written backup under the real name
        self.stdout.write(self.style.SUCCESS(f"Säkerhetskopia skriven: {path}"))
        self.stdout.write(f"Återställ i en tom, migrerad databas med: manage.py restore {path}")
