from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from federation.sheets import ignored_lines
from goals.resources import goals_import


class Command(BaseCommand):
    help = (
        "Läser in en måltabell (.xlsx eller .csv) – inriktningsmål, strategier, aktiviteter, mätetal med "
        "målvärden och utfall – i produktens eller organisationens egen layout. Allt eller inget; --dry-run "
        "visar bara resultatet."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="Kontrollera filen utan att spara något.")
        parser.add_argument(
            "--map",
            default="",
            dest="mapping",
            help='Kolumner som inte känns igen: "Kolumn=fält,…", t.ex. "Nämndmål=Inriktningsmål,Not=ignorera".',
        )

    def handle(self, *args, file, year, dry_run, mapping, **options):
        try:
            result = goals_import(year=year, path=file, dry_run=dry_run, mapping=mapping)
        except (ValidationError, OSError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        for line in [*ignored_lines(result.columns), *result.notes]:
            self.stdout.write(line)
        if result.errors:
            for line in result.preview():
                self.stderr.write(line)
            raise CommandError(f"{len(result.errors)} fel i filen; inget har sparats.")
        if dry_run:
            for number, goal, strategy, activity, indicator, target, period, outcome in result.preview_rows:
                cells = [goal, strategy, activity, indicator, target, period, outcome]
                self.stdout.write(f"Rad {number}: " + " | ".join(cells))
            self.stdout.write(f"Provkörning: {result.summary()} kan läsas in i {year}. Inget sparat.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Inläst i {year}: {result.summary()}."))
