from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from federation.models import FiscalYear
from goals.services import goals_copy_to_year


class Command(BaseCommand):
    help = (
        "Kopierar ett års mål (inriktningsmål, strategier, aktiviteter, mätetal) till ett annat år, "
        "utan bedömningar och utfall."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from-year", type=int, required=True)
        parser.add_argument("--to-year", type=int, required=True)

    def handle(self, *args, from_year, to_year, **options):
        years = {y.year: y for y in FiscalYear.objects.filter(year__in=[from_year, to_year])}
        for year in (from_year, to_year):
            if year not in years:
                raise CommandError(f"Verksamhetsår {year} finns inte.")
        try:
            counts = goals_copy_to_year(from_year=years[from_year], to_year=years[to_year])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{from_year} kopierat till {to_year}: {counts['direction_goals']} inriktningsmål, "
                f"{counts['strategies']} strategier, {counts['activities']} aktiviteter, "
                f"{counts['indicators']} mätetal."
            )
        )
