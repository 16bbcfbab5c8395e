from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from federation.models import FiscalYear
from goals.exports import export_bytes


class Command(BaseCommand):
    help = "Skriver årets mål platt till .xlsx eller .csv: en rad per aktivitet eller mätetalsvärde."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Verksamhetsår, t.ex. 2019")
        parser.add_argument("-o", "--output", required=True, help="Fil att skriva (.xlsx eller .csv)")

    def handle(self, *args, year, output, **options):
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        if fiscal_year is None:
            raise CommandError(f"Verksamhetsår {year} finns inte.")
        path = Path(output)
        file_format = path.suffix.lower().lstrip(".")
        try:
            content = export_bytes(fiscal_year, file_format)
        except ValueError as error:
            raise CommandError(str(error)) from None
        path.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Målen för {year} skrivna till {path}."))
