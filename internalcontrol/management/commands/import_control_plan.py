from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from internalcontrol.resources import plan_import


class Command(BaseCommand):
    help = (
        "Läser in en internkontrollplan i Bilaga 2-format (.xlsx eller .csv) till årets plan "
        "(skapas som utkast om den saknas). Allt eller inget; --dry-run visar bara resultatet."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="Kontrollera filen utan att spara något.")

    def handle(self, *args, file, year, dry_run, **options):
        try:
            result = plan_import(year=year, path=file, dry_run=dry_run)
        except (ValidationError, OSError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        if result.errors:
            for line in result.preview():
                self.stderr.write(line)
            raise CommandError(f"{len(result.errors)} fel i filen; inget har sparats.")
        if dry_run:
            for number, area, point, frequency, role in result.preview_rows:
                self.stdout.write(f"Rad {number}: {area} | {point} | {frequency} | {role}")
            self.stdout.write(
                f"Provkörning: {result.rows} kontrollmoment kan läsas in i planen för {year}. Inget sparat."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"{result.rows} kontrollmoment inlästa i {result.plan}."))
