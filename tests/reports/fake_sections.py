"""A stand-in section builder with realistic content (Bilaga 2 and goal tables
shaped like the 2019 report), so the renderers are tested without the apps."""

from federation.registry import SummaryLine
from federation.reports.document import Cell, Paragraph, Section, Table
from federation.status import Tone

AREAS = [
    ("Ekonomi och administration", ["Attestordning", "Inköp och upphandling", "Representation", "Löner"]),
    ("Styrdokument", ["Delegationsordning", "Dokumenthanteringsplan", "Arkivreglemente"]),
    ("Personal", ["Arbetsmiljö", "Systematiskt arbetsmiljöarbete", "Friskvård"]),
    ("Informationssäkerhet", ["Dataskydd (GDPR)", "Behörigheter", "Säkerhetskopiering"]),
    ("Navet science center", ["Kassahantering", "Entréavgifter", "Butiksförsäljning"]),
    ("Förbundskansliet", ["Diarieföring", "Protokollhantering", "Avtalsuppföljning"]),
]

PLAN_HEADER = [
    "Granskningsområde",
    "Kontrollmoment",
    "Kontrollmetod",
    "Frekvens",
    "Kontrollansvarig",
    "Resultat av granskning",
]

RESULT_TONES = [
    ("Utan anmärkning", Tone.GREEN),
    ("Med anmärkning – åtgärd pågår", Tone.YELLOW),
    ("Avvikelse: två fakturor saknade attest", Tone.RED),
]


def control_plan_table(year):
    table = Table(
        title=f"Bilaga 2 Internkontrollplan {year}",
        header=PLAN_HEADER,
        footnotes=[
            "¹ Avvikelser ska åtgärdas inom sex månader efter kontrollen.",
            "² Avrapportering till Direktionen sker i samband med årsredovisningen.",
        ],
        widths=[3, 4, 4, 2, 3, 4],
    )
    number = 0
    for group, areas in AREAS:
        table.rows.append([Cell(group, bold=True, colspan=len(PLAN_HEADER))])
        for area in areas:
            for moment in range(1, 4):
                number += 1
                result, tone = RESULT_TONES[number % len(RESULT_TONES)]
                table.rows.append(
                    [
                        area,
                        f"Kontrollmoment {moment}: följsamhet till rutin för {area.lower()}",
                        "Stickprov, 10 % av underlagen" if moment != 2 else "=SUMMA(A1:A9)",
                        ["Månadsvis", "Kvartalsvis", "2 ggr/år", "1 gång/år samt löpande"][number % 4],
                        "Administrativ chef" if number % 3 else "-Ekonom Navet",
                        Cell(result, tone=tone),
                    ]
                )
    return table


def indicator_table():
    table = Table(
        title="Mätetal: deltagare per kommun",
        header=["Kommun", "Målvärde", "Utfall", "Bedömning"],
        footnotes=["Utfall per 2019-12-31. Källa: Navets bokningssystem."],
    )
    for kommun, target, outcome, word, tone in [
        ("Borås", "1 875", "1 902", "Uppfyllt", Tone.GREEN),
        ("Bollebygd", "120", "98", "Delvis uppfyllt", Tone.YELLOW),
        ("Herrljunga", "150", "61", "Ej uppfyllt", Tone.RED),
        ("Mark", "400", "", "Ej påbörjad", Tone.GREY),
        ("Svenljunga", "110", "+12 %", "Uppfyllt", "green"),
        ("Tranemo", "130", "@ej rapporterat", "Pågår", Tone.GREY),
        ("Ulricehamn", "300", "311", "Uppfyllt", Tone.GREEN),
        ("Vårgårda", "140", "152", "Uppfyllt", Tone.GREEN),
    ]:
        table.rows.append([kommun, target, outcome, Cell(word, tone=tone)])
    return table


def goals_section(year):
    section = Section(title="4 Måluppfyllelse", level=1, key="goals")
    overall = section.add(Section(title="4.1 Övergripande mål", level=2))
    overall.add(Paragraph("Av sju inriktningsmål är fyra uppfyllda, två delvis uppfyllda och ett ej uppfyllt."))
    strategies = section.add(Section(title="4.3 Strategier och aktiviteter", level=2))
    goal = strategies.add(Section(title="4.3.1 Välfärd och utbildning", level=3))
    table = goal.add(
        Table(
            title="Strategier – Välfärd och utbildning",
            header=["Strategi", "Aktivitet/mätetal", "Verksamhet"],
            footnotes=["Verksamheternas egna mål redovisas i avsnitt 5–8."],
        )
    )
    for strategy in range(1, 9):
        table.rows.append(
            [Cell(f"Strategi {strategy}: stärka samverkan mellan förbundets kommuner", bold=True, colspan=3)]
        )
        for activity in range(1, 5):
            table.rows.append(
                [
                    "",
                    f"{strategy}.{activity} Genomfört – 402 pedagoger har deltagit i kompetensutveckling",
                    Cell("Välfärd", tone=[Tone.GREEN, Tone.YELLOW, Tone.RED, Tone.GREY][activity % 4]),
                ]
            )
    goal.add(Paragraph("Resultatet för året visar en ökning jämfört med 2018."))
    goal.add(indicator_table())
    goal.add(Paragraph("Målvärdena gäller helåret.", style="note"))
    return section


def summary(*, fiscal_year, follow_up):
    """A stand-in Sammanfattning: one line for goals, one for internal control."""
    return [
        SummaryLine(
            "Inriktningsmål", "Fem av sju inriktningsmål bedöms helt uppfyllda, två delvis uppfyllda.", Tone.YELLOW
        ),
        SummaryLine("Kontroller", "33 av 35 genomförda kontroller utan anmärkning, 2 med anmärkning.", Tone.YELLOW),
    ]


def build(*, fiscal_year, units, follow_up, changes):
    year = getattr(fiscal_year, "year", fiscal_year)
    internal = Section(title="2.7 Intern kontroll", level=2, key="internal-control")
    internal.add(
        Paragraph(
            f"Uppföljning av intern kontrollplan för {year} är genomförd och redovisas i bilaga 2. "
            f"Beslut om intern kontrollplan {year + 1} fattades av Direktionen {year}-12-06."
        )
    )
    appendix = Section(title=f"Bilaga 2 Internkontrollplan {year}", level=1, key="appendix-control-plan")
    appendix.add(control_plan_table(year))
    navet = Section(title="7 Navet science center", level=1, key="unit-navet")
    navet_table = navet.add(
        Table(title="Navet – Resultat 191231", header=["Strategi", "Aktivitet/mätetal", "Resultat 191231"])
    )
    navet_table.rows += [
        [Cell("Öka intresset för naturvetenskap och teknik", bold=True, colspan=3)],
        ["", "1. Antal besökare: minst 60 000", Cell("62 418 besökare", tone=Tone.GREEN)],
        ["", "2. Lärarfortbildning: 500 pedagoger", Cell("Genomfört – 402 pedagoger", tone=Tone.YELLOW)],
    ]
    mc = Section(title="6 Medarbetarcentrum", level=1, key="unit-medarbetarcentrum")
    mc.add(Paragraph("Medarbetarcentrum har genomfört 14 utbildningar under året."))
    # Deliberately not in report order: the report builder orders the sections.
    return [appendix, navet, goals_section(year), mc, internal]
