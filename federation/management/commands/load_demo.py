from django.core.management.base import BaseCommand
from django.db import transaction

from federation.demo import DEMO_PASSWORD, logins
from federation.registry import demo_loaders


class Command(BaseCommand):
    help = "Läser in demodata för Boråsregionen (går att köra flera gånger utan dubbletter)."

    def handle(self, *args, **options):
        with transaction.atomic():
            # Each app's loader, registered in its AppConfig.ready(), in dependency order; each is idempotent.
            for load in demo_loaders():
                load()
        self.stdout.write(self.style.SUCCESS("Demodata inläst."))
        self.stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        for username, groups, roles in logins():
            self.stdout.write(f"  {username:<12} {groups:<40} {roles}")
