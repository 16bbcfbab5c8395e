from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from internalcontrol.models import ControlPlan
from internalcontrol.services import plan_copy_to_year


class Command(BaseCommand):
    help = "Kopierar ett års gällande internkontrollplan till ett senare år (som utkast)."

    def add_arguments(self, parser):
        parser.add_argument("--from-year", type=int, required=True)
        parser.add_argument("--to-year", type=int, required=True)

    def handle(self, *args, from_year, to_year, **options):
        plan = ControlPlan.objects.for_year(from_year)
        if plan is None:
            raise CommandError(f"Det finns ingen internkontrollplan för {from_year}.")
        try:
            new = plan_copy_to_year(plan=plan, year=to_year)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"{new} skapad som utkast från {plan}.")
