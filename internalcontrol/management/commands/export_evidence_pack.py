"""manage.py export_evidence_pack 2019 -o bevispaket-2019.zip — the revisorer's evidence pack of a year."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from internalcontrol.evidence import EvidencePackError, evidence_pack_write, resolve_year


class Command(BaseCommand):
    help = (
        "Skapar revisorernas bevispaket för ett år: en ZIP med sammanfattning (PDF/A), arbetsbok (XLSX) "
        "och bevisfilerna."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", help="verksamhetsår, t.ex. 2019")
        parser.add_argument("-o", "--output", required=True, help="ZIP-filen som skrivs")

    def handle(self, *args, year, output, **options):
        try:
            fiscal_year = resolve_year(year)
        except EvidencePackError as error:
            raise CommandError(str(error)) from None
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"Mappen {path.parent} finns inte.")
        with path.open("wb") as target:
            content = evidence_pack_write(fiscal_year=fiscal_year, target=target)
        missing = sum(1 for item in content.files if not item.present)
        note = f", {missing} saknas i filarkivet" if missing else ""
        self.stdout.write(
            f"Skrev {path} ({len(content.checks)} kontroller, {len(content.files)} bevisfiler{note}, "
            f"{path.stat().st_size} byte)."
        )
