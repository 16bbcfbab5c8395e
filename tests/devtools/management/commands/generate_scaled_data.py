import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from federation.models import Unit
from tests.devtools.scaled import goals, internalcontrol, organisation

# Each part's generator, in dependency order: generate(*, factor, rng, context) -> counts.
SCALED_GENERATORS = [organisation, internalcontrol, goals]


class Command(BaseCommand):
    help = (
        "Skapar N gånger 2019 års datavolym per år över tio år (för prestandamätning). "
        "Deterministiskt från --seed. Kräver en databas utan tidigare skalade data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=10, help="Hur många gånger 2019 års volym (1–100).")
        parser.add_argument("--seed", type=int, default=2019)

    def handle(self, *args, factor, seed, **options):
        if not 1 <= factor <= 100:
            raise CommandError("--factor måste vara mellan 1 och 100.")
        started = time.perf_counter()
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        if Unit.objects.filter(name__endswith=" 1", lead_role__name__startswith="Ledare ").exists():
            raise CommandError("Databasen har redan skalade data. Använd en ny databas.")
        rng = random.Random(seed)
        context: dict = {}
        with transaction.atomic():
            for module in SCALED_GENERATORS:
                counts = module.generate(factor=factor, rng=rng, context=context)
                self.stdout.write(
                    f"{module.__name__}: " + ", ".join(f"{value} {name}" for name, value in counts.items())
                )
        self.stdout.write(self.style.SUCCESS(f"Klart på {time.perf_counter() - started:.1f} s (faktor {factor})."))
