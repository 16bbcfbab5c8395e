from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from federation.organisation import organisation_setup, template_bytes


class Command(BaseCommand):
    help = (
        "Lägger upp en ny organisation (utan demodata) från mallen: bladen Organisation, Medlemskommuner, "
        "Verksamheter, Roller och Personer. Allt eller inget; --dry-run visar bara resultatet. "
        "--template FIL skriver en tom mall med exempelrader."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Kontrollera filen utan att spara något.")
        parser.add_argument("--template", action="store_true", help="Skriv mallen till FILE i stället för att läsa.")

    def handle(self, *args, file, dry_run, template, **options):
        if template:
            with open(file, "wb") as out:
                out.write(template_bytes())
            self.stdout.write(f"Mallen skriven till {file}.")
            return
        try:
            result = organisation_setup(path=file, dry_run=dry_run)
        except (ValidationError, OSError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        for line in result.notes:
            self.stdout.write(line)
        if result.errors:
            for line in result.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(result.errors)} fel i filen; inget har sparats.")
        if dry_run:
            self.stdout.write(f"Provkörning: {result.summary()} kan läsas in. Inget sparat.")
            return
        self.stdout.write(self.style.SUCCESS(f"Inläst: {result.summary()}."))
        if result.passwords:
            self.stdout.write("Startlösenord för nya personer (visas bara nu; be dem byta det):")
            for username, password in result.passwords:
                self.stdout.write(f"  {username:<20} {password}")
