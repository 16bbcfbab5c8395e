"""``manage.py export_year_data 2019 -o data-2019.xlsx``: every row of a year as XLSX."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from federation.models import FiscalYear
from federation.year_export import write_year_workbook


class Command(BaseCommand):
    help = "Exporterar allt som hör till ett verksamhetsår till en Excel-fil (ett blad per modell)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("-o", "--output", required=True, help="Filen som skrivs (.xlsx).")

    def handle(self, *args, year, output, **options):
        if not FiscalYear.objects.filter(year=year).exists():
            raise CommandError(f"Verksamhetsår {year} finns inte.")
        content, counts = write_year_workbook(year)
        Path(output).write_bytes(content)
        for title, rows in counts.items():
            self.stdout.write(f"{title}: {rows} rader")
        self.stdout.write(self.style.SUCCESS(f"Skrev {output}."))
