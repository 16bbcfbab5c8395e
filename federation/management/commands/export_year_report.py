"""manage.py export_year_report 2019 --follow-up delår --format pdf [--changes] -o delarsrapport-2019.pdf"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from federation.reports.builder import ReportError
from federation.reports.formats import FORMATS
from federation.reports.services import report_render


def _split(value):
    return [item.strip() for item in value.split(",") if item.strip()] if value else None


class Command(BaseCommand):
    help = (
        "Exporterar årsredovisningens eller delårsrapportens avsnitt (sammanfattning, intern kontroll, "
        "måluppfyllelse, bilaga 2) för ett år."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", help="verksamhetsår, t.ex. 2019")
        parser.add_argument("--format", dest="fmt", required=True, help=f"något av: {', '.join(FORMATS)}")
        parser.add_argument(
            "--follow-up",
            dest="follow_up",
            help="delår (delar, interim) eller helår (helar, annual); utan: den senast avslutade uppföljningen",
        )
        parser.add_argument("--changes", action="store_true", help="visa vad som ändrats sedan förra uppföljningen")
        parser.add_argument(
            "-o",
            "--output",
            help="filen som skrivs; utan: arsredovisning-ÅÅÅÅ.<format> (delarsrapport-… för delår) här",
        )
        parser.add_argument("--sections", help="avsnittsnycklar, kommaseparerade (t.ex. goals,appendix-control-plan)")
        parser.add_argument("--units", help="verksamheter (namn, kortnamn eller id), kommaseparerade")

    def handle(self, *args, year, fmt, output, sections, units, follow_up, changes, **options):
        if fmt.lower() not in FORMATS:
            raise CommandError(f"Okänt format: {fmt}. Välj något av: {', '.join(FORMATS)}.")
        try:
            rendered = report_render(
                fiscal_year=year,
                fmt=fmt,
                sections=_split(sections),
                units=_split(units),
                follow_up=follow_up,
                changes=changes,
            )
        except ReportError as error:
            raise CommandError(str(error)) from None
        path = Path(output or rendered.filename)
        if path.parent and not path.parent.exists():
            raise CommandError(f"Mappen {path.parent} finns inte.")
        path.write_bytes(rendered.content)
        self.stdout.write(f"Skrev {path} ({rendered.format.label}, {len(rendered.content)} byte).")
