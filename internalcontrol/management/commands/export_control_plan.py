from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from internalcontrol.models import ControlPlan
from internalcontrol.resources import checks_export, plan_export


class Command(BaseCommand):
    help = "Skriver årets internkontrollplan i Bilaga 2-format (med --checks: kontrollerna) till .xlsx eller .csv."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--checks", action="store_true", help="Exportera kontrollerna i stället för planen.")

    def handle(self, *args, year, output, checks, **options):
        plan = ControlPlan.objects.for_year(year)
        if plan is None:
            raise CommandError(f"Det finns ingen internkontrollplan för {year}.")
        try:
            (checks_export if checks else plan_export)(plan=plan, path=output)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"{plan} skriven till {output}."))
