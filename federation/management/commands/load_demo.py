from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from federation.demo import DEMO_PASSWORD, logins

# Each app's demo loader, in dependency order. Every loader is idempotent.
DEMO_LOADERS = [
    "federation.demo.load",
    "goals.demo.load",
    "internalcontrol.demo.load",
]


class Command(BaseCommand):
    help = "Läser in demodata för Boråsregionen (går att köra flera gånger utan dubbletter)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for loader in DEMO_LOADERS:
                import_string(loader)()
        self.stdout.write(self.style.SUCCESS("Demodata inläst."))
        self.stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        for username, groups, roles in logins():
            self.stdout.write(f"  {username:<12} {groups:<40} {roles}")
