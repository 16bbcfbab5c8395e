from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from federation.sheets import ignored_lines
from internalcontrol.resources import plan_import


class Command(BaseCommand):
    help = (
        "Läser in en internkontrollplan (.xlsx eller .csv) i organisationens egen layout till årets plan "
        "(skapas som utkast om den saknas). Allt eller inget; --dry-run visar bara resultatet."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="Kontrollera filen utan att spara något.")
        parser.add_argument("--create-roles", action="store_true", help="Skapa roller som saknas (utan innehavare).")
        parser.add_argument("--sheet", default=None, help="Bladet som ska läsas in när flera blad har en plan.")
        parser.add_argument(
            "--map",
            default="",
            dest="mapping",
            help='Kolumner som inte känns igen: "Kolumn=fält,…", t.ex. "Vad gör vi=Kontrollmoment,Not=ignorera".',
        )
        parser.add_argument(
            "--risk-scale", type=int, choices=[3, 4, 5], default=None, help="Riskskala 1–3, 1–4 eller 1–5."
        )

    def handle(self, *args, file, year, dry_run, create_roles, sheet, mapping, risk_scale, **options):
        try:
            result = plan_import(
                year=year,
                path=file,
                dry_run=dry_run,
                create_roles=create_roles,
                sheet=sheet,
                mapping=mapping,
                risk_scale=risk_scale,
            )
        except (ValidationError, OSError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        for line in [*ignored_lines(result.columns), *result.notes]:
            self.stdout.write(line)
        for line in result.warning_lines():
            self.stdout.write(f"Varning – {line}")
        if result.errors:
            for line in result.preview():
                self.stderr.write(line)
            raise CommandError(f"{len(result.errors)} fel i filen; inget har sparats.")
        if dry_run:
            for number, area, point, method, frequency, role in result.preview_rows:
                self.stdout.write(f"Rad {number}: {area} | {point} | {method} | {frequency} | {role}")
            self.stdout.write(
                f"Provkörning: {result.rows} kontrollmoment kan läsas in i planen för {year}. Inget sparat."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"{result.rows} kontrollmoment inlästa i {result.plan}."))
