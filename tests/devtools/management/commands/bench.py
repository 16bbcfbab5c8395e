"""manage.py bench — the benchmark behind ``make bench`` (see tests/devtools/bench.py and docs/performance.md).

For each target (the embedded SQLite default, and PostgreSQL when DATABASE_URL
points at one) it prepares a database with factor-10 scaled data under
``var/bench/`` (reused when its marker says same factor and seed), starts
gunicorn with two workers on it (with config/gunicorn.conf.py, as production),
measures the key pages' server time and queries, every page rendered in full
(there is no page cache), against the targets and against the Django admin's
check change list in the same run, times the year-end export, the revisorer's
evidence pack, the reminder sweep over 100 000 checks, a 1 000-row plan import, and the 5 000-row imports
(an internkontrollplan and a goal table, each as a dry run and for real: seconds
and the child process's peak memory) in child processes, prints one table and
writes ``var/bench/latest.json``. Stops by itself. ``--only-imports`` measures
just the 5 000-row imports (on a prepared database, or one prepared with
``--factor``). Needs the devtools app: run it with BENCH=1 (``make bench`` does)."""

import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tests.devtools import bench

BENCH_DIR = Path(settings.BASE_DIR) / "var" / "bench"
EXPORT_YEAR = 2019
# Each export format is built and rendered this many times; its figure is the median.
EXPORT_RUNS = 3
SWEEP_CHECKS = 100_000
IMPORT_ROWS = 1_000
LARGE_IMPORT_ROWS = 5_000
# The 5 000-row imports: each within these seconds and this peak memory (the child process's maxrss).
LARGE_IMPORT_TARGETS = {"seconds": 10, "peak_mb": 300}
LARGE_IMPORTS = ["plan_dry_run", "plan", "goals_dry_run", "goals"]

# (name, user, path); a path of None is found on the goal tree (the first mätetal link).
PAGES = [
    ("oversikt", "direktor", "/"),
    ("plan", "direktor", "/internkontroll/"),
    ("mina_kontroller", "adminchef", "/internkontroll/mina-kontroller/"),
    ("maltrad", "direktor", "/mal/"),
    ("min_enhet", "navet", "/mal/min-enhet/"),
    ("matetal", "direktor", None),
    ("admin_kontroller", "direktor", "/admin/internalcontrol/check/"),
]
# Every key page rendered in full: p95 server time and queries at most these, and no slower (p50) than the
# admin's change list of the checks measured in the same run.
TARGETS = {"p95_ms": 50, "queries": 20}
REFERENCE_PAGE = "admin_kontroller"
GUNICORN_CONFIG = Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"
# The full helår report of EXPORT_YEAR: seconds of work per format (start-up measured apart).
EXPORT_TARGETS_S = {"docx": 1, "pdf": 2, "xlsx": 1}
# The revisorer's evidence pack of EXPORT_YEAR (manage.py export_evidence_pack): seconds of work and peak memory.
EVIDENCE_PACK_TARGETS = {"seconds": 10, "peak_mb": 300}


class Command(BaseCommand):
    help = "Mäter sidornas svarstider, exporten, påminnelsesvepet och importen på skalade data (faktor 10)."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=10)
        parser.add_argument("--seed", type=int, default=2019)
        # 100, not 40: the p95 of 40 is the third slowest, so one burst of the machine's own noise decides it.
        parser.add_argument("--requests", type=int, default=100, help="mätningar per sida")
        parser.add_argument("--only", choices=["sqlite", "postgresql"], help="bara ett mål")
        parser.add_argument("--pages-only", action="store_true", help="bara sidorna (ingen export, svep eller import)")
        parser.add_argument(
            "--without-gunicorn-config",
            action="store_true",
            help="gunicorn utan config/gunicorn.conf.py (GC-jämförelse)",
        )
        parser.add_argument(
            "--without-gc-tuning",
            action="store_true",
            help="exporten utan config.garbage_collection (GC-jämförelse)",
        )
        parser.add_argument(
            "--only-imports", action="store_true", help="bara importerna med 5 000 rader (plan och mål)"
        )
        parser.add_argument("--inner", choices=[*INNER, *LARGE_IMPORTS], help=argparse_suppress())
        parser.add_argument("--file", help=argparse_suppress())

    def handle(
        self,
        *args,
        factor,
        seed,
        requests,
        only,
        pages_only,
        only_imports,
        inner,
        without_gunicorn_config,
        without_gc_tuning,
        **options,
    ):
        if inner in LARGE_IMPORTS:
            self.stdout.write(json.dumps(inner_large_import(inner, options["file"])))
            return
        if inner:
            # Run inside a child process whose settings point at the bench database.
            self.stdout.write(json.dumps(INNER[inner]()))
            return
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        self.without_gc_tuning = without_gc_tuning
        targets = {}
        if only != "postgresql":
            targets["sqlite"] = self.env(database_url=None)
        database_url = os.environ.get("DATABASE_URL", "")
        if database_url.startswith(("postgres://", "postgresql://")) and only != "sqlite":
            targets["postgresql"] = self.env(database_url=bench_database_url(database_url))
        elif only == "postgresql":
            raise CommandError("DATABASE_URL pekar inte på PostgreSQL.")

        results = {}
        for name, env in targets.items():
            self.stdout.write(self.style.MIGRATE_HEADING(f"== {name} =="))
            self.prepare(name, env, factor=factor, seed=seed)
            if only_imports:
                results[name] = {"large_imports": self.measure_large_imports(env)}
                self.print_large_imports(name, results[name]["large_imports"])
                continue
            config = None if without_gunicorn_config else GUNICORN_CONFIG
            results[name] = self.run_target(env, requests=requests, pages_only=pages_only, config=config)
            results[name]["database"] = name
            results[name]["factor"] = factor
            self.print_table(name, results[name])

        if pages_only or only_imports:
            what = "sidorna" if pages_only else "importerna"
            self.stdout.write(f"Bara {what} mättes: var/bench/latest.json skrevs inte.")
            return
        main = results.get("sqlite") or next(iter(results.values()))
        output = {"machine": bench.machine(), **{k: v for k, v in main.items()}}
        if len(results) > 1:
            output["targets"] = results
        (BENCH_DIR / "latest.json").write_text(json.dumps(output, indent=2, ensure_ascii=False))
        self.stdout.write(f"Skrev {BENCH_DIR / 'latest.json'} ({output['machine']})")

    # --- Preparing ---------------------------------------------------------------

    def env(self, *, database_url):
        # DEBUG off as in production; BENCH on, for the Server-Timing header this command reads.
        env = {**os.environ, "VAR_DIR": str(BENCH_DIR), "DEBUG": "0", "BENCH": "1", "PYTHONUNBUFFERED": "1"}
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        return env

    def manage(self, env, *arguments, capture=False):
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments]
        result = subprocess.run(command, env=env, cwd=settings.BASE_DIR, check=False, capture_output=capture, text=True)
        if result.returncode:
            raise CommandError(f"{' '.join(arguments)} misslyckades:\n{result.stderr if capture else ''}")
        return result.stdout

    def prepare(self, name, env, *, factor, seed):
        self.prepare_data(name, env, factor=factor, seed=seed)
        if name == "postgresql":
            vacuum_analyze(env["DATABASE_URL"])

    def prepare_data(self, name, env, *, factor, seed):
        marker = BENCH_DIR / f"{name}.prepared.json"
        wanted = {"factor": factor, "seed": seed}
        if marker.exists() and json.loads(marker.read_text()) == wanted:
            self.stdout.write(f"Återanvänder förberedd databas ({marker.name}).")
            self.manage(env, "migrate", "--noinput", "-v0")  # new indexes reach a reused database
            self.manage(env, "collectstatic", "--noinput", "-v0")
            return
        marker.unlink(missing_ok=True)
        if name == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                (BENCH_DIR / f"db.sqlite3{suffix}").unlink(missing_ok=True)
        else:
            recreate_postgres_database(env["DATABASE_URL"])
        self.stdout.write("Förbereder databasen: migrate, generate_scaled_data, collectstatic …")
        self.manage(env, "migrate", "--noinput", "-v0")
        started = time.perf_counter()
        self.stdout.write(self.manage(env, "generate_scaled_data", "--factor", str(factor), "--seed", str(seed),
                                      capture=True).strip())  # fmt: skip
        self.stdout.write(f"(generate_scaled_data inklusive demodata: {time.perf_counter() - started:.1f} s)")
        self.manage(env, "collectstatic", "--noinput", "-v0")
        marker.write_text(json.dumps(wanted))

    # --- Measuring ---------------------------------------------------------------

    def run_target(self, env, *, requests, pages_only=False, config=None):
        result = {"gunicorn_config": str(config.relative_to(settings.BASE_DIR)) if config else None}
        with bench.Gunicorn(env=env, workers=2, cwd=settings.BASE_DIR, config=config) as server:
            browsers = {}
            for user in ("direktor", "adminchef", "navet"):
                browsers[user] = bench.Browser(server.url)
                browsers[user].login(user, "demo")
            floor = bench.measure(browsers["direktor"], "/matning/golv/", requests=requests * 2)
            floor_summary = floor.summary()
            result["floor"] = {"p50_ms": floor_summary["p50_ms"], "p95_ms": floor_summary["p95_ms"]}
            floor_p50 = max(floor_summary["p50_ms"], 0.1)
            pages = {}
            for name, user, path in PAGES:
                if path is None:
                    path = first_indicator_path(browsers[user])
                figures = bench.measure(browsers[user], path, requests=requests)
                pages[name] = {"path": path, **figures.summary(floor_p50=floor_p50)}
                self.stdout.write(
                    f"  {name:<18} {pages[name]['p50_ms']:>7} ms p50 {pages[name]['p95_ms']:>7} ms p95 "
                    f"{pages[name]['queries']:>4} frågor"
                )
            # Every page rendered in full (there is no page cache, so no cached path to report separately).
            result["pages"] = pages
        if pages_only:
            return result
        result["export_gc_tuning"] = not self.without_gc_tuning
        export_env = {**env, "BENCH_WITHOUT_GC_TUNING": "1"} if self.without_gc_tuning else env
        result["export_s"], result["worker_peak_mb"], result["export_startup_s"] = self.measure_exports(export_env)
        result["evidence_pack_s"], result["evidence_pack_peak_mb"] = self.measure_evidence_pack(env)
        sweep = json.loads(self.manage(env, "bench", "--inner", "sweep", capture=True))
        result["sweep_100k_s"], result["sweep_queries"] = sweep["seconds"], sweep["queries"]
        result["sweep_items"] = sweep["items"]
        imported = json.loads(self.manage(env, "bench", "--inner", "import", capture=True))
        result["import_1000_s"] = imported["seconds"]
        result["large_imports"] = self.measure_large_imports(env)
        return result

    def measure_large_imports(self, env):
        """The 5 000-row plan and goal table, each as a dry run and for real (rolled back), each in a child
        process of its own: seconds of the import itself and the process's peak memory (maxrss)."""
        files = write_large_import_files(BENCH_DIR)
        figures = {}
        for name in LARGE_IMPORTS:
            path = files["plan" if name.startswith("plan") else "goals"]
            command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench", "--inner", name,
                       "--file", str(path)]  # fmt: skip
            process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, text=True)
            output = process.stdout.read()
            _, status, usage = os.wait4(process.pid, 0)
            if os.waitstatus_to_exitcode(status):
                raise CommandError(f"bench --inner {name} misslyckades")
            figures[name] = {**json.loads(output), "peak_mb": round(usage.ru_maxrss / 1024, 1)}
            self.stdout.write(f"  import {name:<14} {figures[name]['seconds']:>7} s {figures[name]['peak_mb']:>7} MB")
        return figures

    def large_import_lines(self, figures):
        lines = []
        for name, values in figures.items():
            ok = (
                values["seconds"] <= LARGE_IMPORT_TARGETS["seconds"]
                and values["peak_mb"] <= LARGE_IMPORT_TARGETS["peak_mb"]
            )
            label = f"{LARGE_IMPORT_ROWS} {LARGE_IMPORT_LABELS[name]}"
            lines.append(f"{label:<28} {values['seconds']:>8} s {values['peak_mb']:>8} MB  {'ok' if ok else 'MISSAT'}")
        return lines

    def print_large_imports(self, name, figures):
        header = (f"{'import':<28} {'sekunder':>10} {'minne':>11}  mål (≤ {LARGE_IMPORT_TARGETS['seconds']} s, "
                  f"≤ {LARGE_IMPORT_TARGETS['peak_mb']} MB)")  # fmt: skip
        self.stdout.write(f"\nResultat ({name}):\n" + "\n".join([header, *self.large_import_lines(figures)]) + "\n")

    def measure_exports(self, env):
        """The full helår report of EXPORT_YEAR in each format, in one child process (``--inner export``), as
        a worker process runs it: the median seconds of work (build and render) per format, apart from the
        process's start-up (Python, Django and the renderers' imports), and the child's peak memory."""
        started = time.perf_counter()
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench", "--inner", "export"]
        process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, text=True)
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status):
            raise CommandError("bench --inner export misslyckades")
        figures = json.loads(output)
        wall = time.perf_counter() - started
        times = figures["work_s"]
        startup = round(wall - sum(sum(runs) for runs in figures["runs_s"].values()), 2)
        for fmt, seconds in times.items():
            runs = ", ".join(str(value) for value in figures["runs_s"][fmt])
            self.stdout.write(f"  export {fmt:<12} {seconds:>7} s arbete (median av {runs})")
        self.stdout.write(f"  export uppstart    {startup:>7} s (Python, Django, rendrarna; mäts för sig)")
        return times, round(usage.ru_maxrss / 1024, 1), startup

    def measure_evidence_pack(self, env):
        """The evidence pack of EXPORT_YEAR in a child process, as the worker builds it: seconds and peak MB."""
        output = BENCH_DIR / f"bevispaket-{EXPORT_YEAR}.zip"
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "export_evidence_pack",
                   str(EXPORT_YEAR), "-o", str(output)]  # fmt: skip
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = round(time.perf_counter() - started, 2)
        if os.waitstatus_to_exitcode(status):
            raise CommandError("export_evidence_pack misslyckades")
        peak_mb = round(usage.ru_maxrss / 1024, 1)  # kilobytes on Linux
        self.stdout.write(f"  bevispaket        {seconds:>7} s {peak_mb:>7} MB")
        return seconds, peak_mb

    # --- Output ------------------------------------------------------------------

    def print_table(self, name, result):
        floor = result["floor"]
        reference = result["pages"].get(REFERENCE_PAGE)
        lines = [
            f"gunicorn-konfiguration: {result['gunicorn_config'] or 'ingen'}",
            f"{'sida (renderad)':<18} {'p50 ms':>8} {'p95 ms':>8} {'× golv':>7} {'frågor':>7}  mål "
            f"(p95 ≤ {TARGETS['p95_ms']} ms, ≤ {TARGETS['queries']} frågor, p50 ≤ {REFERENCE_PAGE})",
            f"{'golv':<18} {floor['p50_ms']:>8} {floor['p95_ms']:>8} {'1':>7} {'':>7}",
        ]
        for page, figures in result["pages"].items():
            missed = []
            if figures["p95_ms"] > TARGETS["p95_ms"]:
                missed.append("p95")
            if figures["queries"] > TARGETS["queries"]:
                missed.append("frågor")
            if reference and page != REFERENCE_PAGE and figures["p50_ms"] > reference["p50_ms"]:
                missed.append(f"långsammare än {REFERENCE_PAGE}")
            lines.append(
                f"{page:<18} {figures['p50_ms']:>8} {figures['p95_ms']:>8} {figures['ratio_p50_to_floor']:>7} "
                f"{figures['queries']:>7}  {'MISSAT: ' + ', '.join(missed) if missed else 'ok'}"
            )
        if "export_s" not in result:  # --pages-only
            self.stdout.write(f"\nResultat ({name}):\n" + "\n".join(lines) + "\n")
            return
        for fmt, seconds in result["export_s"].items():
            ok = seconds <= EXPORT_TARGETS_S[fmt]
            lines.append(f"{'export ' + fmt:<18} {seconds:>8} s arbete{'':>10} {'':>7}  {'ok' if ok else 'MISSAT'}")
        lines.append(f"{'export uppstart':<18} {result['export_startup_s']:>8} s (för sig){'':>6}")
        lines.append(f"{'export minne':<18} {result['worker_peak_mb']:>8} MB{'':>24}  "
                     f"{'ok' if result['worker_peak_mb'] <= 300 else 'MISSAT'}")  # fmt: skip
        pack_ok = (result["evidence_pack_s"] <= EVIDENCE_PACK_TARGETS["seconds"]
                   and result["evidence_pack_peak_mb"] <= EVIDENCE_PACK_TARGETS["peak_mb"])  # fmt: skip
        lines.append(f"{'bevispaket':<18} {result['evidence_pack_s']:>8} s  {result['evidence_pack_peak_mb']} MB"
                     f"{'':>16}  {'ok' if pack_ok else 'MISSAT'}")  # fmt: skip
        sweep_ok = "ok" if result["sweep_100k_s"] <= 10 else "MISSAT"
        lines.append(f"{'påminnelsesvep':<18} {result['sweep_100k_s']:>8} s  {result['sweep_queries']} frågor, "
                     f"{result['sweep_items']} poster  {sweep_ok}")  # fmt: skip
        lines.append(f"{'import 1000 rader':<18} {result['import_1000_s']:>8} s{'':>25}  "
                     f"{'ok' if result['import_1000_s'] <= 10 else 'MISSAT'}")  # fmt: skip
        lines += self.large_import_lines(result["large_imports"])
        self.stdout.write(f"\nResultat ({name}):\n" + "\n".join(lines) + "\n")


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS


def first_indicator_path(browser):
    html = browser.opener.open(browser.base_url + "/mal/").read().decode()
    match = re.search(r'href="(/mal/matetal/\d+/)"', html)
    if not match:
        raise CommandError("Hittar inget mätetal på /mal/.")
    return match.group(1)


def bench_database_url(database_url):
    """The same server, the database name with ``_bench`` appended (kept if it already ends so)."""
    base, _, name = database_url.rstrip("/").rpartition("/")
    name = name.split("?")[0]
    return f"{base}/{name if name.endswith('_bench') else name + '_bench'}"


def vacuum_analyze(database_url):
    """What autovacuum does on a real server, done now: the rows the last run's rolled-back sweep and import
    and its load test left dead are cleared and the planner's statistics are fresh. (On a server with
    autovacuum off, as on the machines this runs on, every run would otherwise be slower than the last.)"""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def recreate_postgres_database(database_url):
    import psycopg

    base, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


# --- Measurements run inside a child process on the bench database ------------------


def inner_sweep():
    """100 000 open checks (a throwaway plan, rolled back) through the real reminder sweep."""
    from django.db import connection, transaction

    from federation.models import Decision, DecisionBody, FiscalYear, Role
    from federation.reminders.services import reminders_sweep
    from internalcontrol.models import Check, ControlPlan, ControlPoint, ReviewArea
    from tests.devtools.middleware import QueryCounter

    today = datetime.date(2031, 6, 1)
    with transaction.atomic():
        fiscal_year = FiscalYear.objects.create(
            year=2031, start=datetime.date(2031, 1, 1), end=datetime.date(2031, 12, 31)
        )
        decision = Decision.objects.create(
            body=DecisionBody.objects.get(is_board=True), date=datetime.date(2030, 12, 6), subject="Mätning"
        )
        plan = ControlPlan.objects.create(fiscal_year=fiscal_year, status="adopted", decision=decision)
        roles = list(Role.objects.filter(assignments__valid_to__isnull=True).distinct()[:40])
        areas = ReviewArea.objects.bulk_create(
            [ReviewArea(plan=plan, number=n, name=f"Område {n}") for n in range(1, 101)]
        )
        points = ControlPoint.objects.bulk_create(
            [
                ControlPoint(
                    area=area,
                    order=i,
                    description=f"Kontroll {area.number}.{i}",
                    frequency_text="Månadsvis",
                    per_year=12,
                    responsible_role=roles[(area.number + i) % len(roles)],
                )  # fmt: skip
                for area in areas
                for i in range(1, 11)
            ]
        )
        per_point = SWEEP_CHECKS // len(points)
        Check.objects.bulk_create(
            [
                # Spread around today: some coming due, most due or overdue, a few escalated.
                Check(control_point=point, due_date=today + datetime.timedelta(days=10 - day))
                for point in points
                for day in range(per_point)
            ],
            batch_size=5000,
        )
        if connection.vendor == "postgresql":
            # A real database's 100 000 checks came over years and autovacuum has analysed them; these came
            # in one transaction a moment ago, and without statistics the planner guesses badly.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE internalcontrol_check")
        # Counted by a wrapper, not CaptureQueriesContext: that one formats every bulk insert's SQL as text.
        counter = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            result = reminders_sweep(today=today, dry_run=False)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {"seconds": round(seconds, 2), "queries": counter.count, "items": len(result.planned)}


def inner_import():
    """A 1 000-row plan in the Bilaga 2 layout through the importer (rolled back)."""
    import tempfile

    from django.db import transaction
    from openpyxl import Workbook

    from federation.models import Role
    from internalcontrol.resources import COLUMNS, plan_import

    roles = list(Role.objects.order_by("pk").values_list("name", flat=True)[:20])
    frequencies = ["Månadsvis", "Kvartalsvis", "2 ggr/år", "1 gång/år", "Löpande"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Internkontrollplan 2032"])
    sheet.append([])
    sheet.append(COLUMNS)
    for area in range(1, IMPORT_ROWS // 10 + 1):
        if area % 25 == 1:
            sheet.append([f"Grupp {area // 25 + 1}"])
        for point in range(10):
            sheet.append([
                f"{area}. Granskningsområde {area}" if point == 0 else "",
                f"Kontrollmoment {area}.{point + 1}",
                "Stickprov",
                frequencies[(area + point) % len(frequencies)],
                roles[(area + point) % len(roles)],
            ])  # fmt: skip
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        workbook.save(handle.name)
        with transaction.atomic():
            started = time.perf_counter()
            result = plan_import(year=2032, path=handle.name)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
    if result.errors:
        raise CommandError(f"Importen gav fel: {result.errors[:3]}")
    return {"seconds": round(seconds, 2), "rows": result.rows}


LARGE_IMPORT_LABELS = {
    "plan_dry_run": "planrader, provkörning",
    "plan": "planrader, import",
    "goals_dry_run": "målrader, provkörning",
    "goals": "målrader, import",
}
LARGE_IMPORT_YEAR = 2033


def write_large_import_files(directory: Path) -> dict[str, Path]:
    """A 5 000-row internkontrollplan (500 areas of 10 kontrollmoment, in groups) and a 5 000-row goal table
    (10 inriktningsmål × 10 strategier × 50 mätetal with target and outcome), written with openpyxl."""
    from openpyxl import Workbook

    from internalcontrol.resources import COLUMNS

    frequencies = ["Månadsvis", "Kvartalsvis", "2 ggr/år", "1 gång/år", "Löpande", "Vid behov", "Tertialvis"]
    roles = [f"Bench-roll {n}" for n in range(1, 21)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Plan")
    sheet.append([f"Internkontrollplan {LARGE_IMPORT_YEAR}"])
    sheet.append([])
    sheet.append([*COLUMNS, "Sannolikhet", "Konsekvens", "Anteckning"])
    for area in range(1, LARGE_IMPORT_ROWS // 10 + 1):
        if area % 50 == 1:
            sheet.append([f"Grupp {area // 50 + 1}"])
        for point in range(10):
            sheet.append([
                f"{area}. Granskningsområde {area}" if point == 0 else "",
                f"Kontrollmoment {area}.{point + 1}",
                "Stickprov",
                frequencies[(area + point) % len(frequencies)],
                roles[(area + point) % len(roles)],
                1 + (area + point) % 4,
                1 + (area * point) % 4,
                "",
            ])  # fmt: skip
    paths = {"plan": directory / "import-plan-5000.xlsx", "goals": directory / "import-mal-5000.xlsx"}
    workbook.save(paths["plan"])

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Mål")
    sheet.append(["Mål", "Strategi", "Mätetal", "Enhet", "Riktning", "Utgångsvärde", "Målvärde", "Period", "Utfall",
                  "Kommentar"])  # fmt: skip
    per_strategy = LARGE_IMPORT_ROWS // 100
    for goal in range(1, 11):
        for strategy in range(1, 11):
            for indicator in range(1, per_strategy + 1):
                sheet.append([
                    f"Inriktningsmål {goal}",
                    f"Strategi {goal}.{strategy}",
                    f"Mätetal {goal}.{strategy}.{indicator}",
                    "st",
                    "Minst",
                    str(indicator),
                    str(indicator + 10),
                    f"Helår {LARGE_IMPORT_YEAR}",
                    f"{indicator + 5},5",
                    "Enligt plan" if indicator % 10 == 0 else "",
                ])  # fmt: skip
    workbook.save(paths["goals"])
    return paths


def inner_large_import(name: str, path: str) -> dict:
    """One of the 5 000-row imports (``LARGE_IMPORTS``) on the bench database; a real import is rolled back."""
    from django.db import transaction

    from goals.resources import goals_import
    from internalcontrol.resources import plan_import

    dry_run = name.endswith("_dry_run")
    with transaction.atomic():
        started = time.perf_counter()
        if name.startswith("plan"):
            result = plan_import(year=LARGE_IMPORT_YEAR, path=path, dry_run=dry_run, create_roles=True)
        else:
            result = goals_import(year=LARGE_IMPORT_YEAR, path=path, dry_run=dry_run)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    if result.errors:
        raise CommandError(f"Importen gav fel: {result.preview()[:3]}")
    return {"seconds": round(seconds, 2), "rows": result.rows}


def inner_export():
    """Build and render the full helår report of EXPORT_YEAR per format, EXPORT_RUNS times each, as a Celery
    worker process does it: the garbage collector tuned (``config.garbage_collection``, unless
    BENCH_WITHOUT_GC_TUNING is set) and the renderers prepared at start-up, so each figure is the work alone.
    Each format's figure is the median of its runs."""
    # Start-up, before the clock, as a worker process starts (config.celery, FederationConfig.ready): the garbage
    # collector tuned, and the renderers prepared (what they load once per process).
    from config.garbage_collection import tune_garbage_collection
    from federation.reports.formats import prepare_renderers
    from federation.reports.services import report_render

    if not os.environ.get("BENCH_WITHOUT_GC_TUNING"):
        tune_garbage_collection()
    prepare_renderers()
    runs = {fmt: [] for fmt in ("docx", "pdf", "xlsx")}
    for _run in range(EXPORT_RUNS):
        for fmt, seconds in runs.items():
            started = time.perf_counter()
            rendered = report_render(fiscal_year=EXPORT_YEAR, fmt=fmt, follow_up="helår")
            seconds.append(time.perf_counter() - started)
            (BENCH_DIR / rendered.filename).write_bytes(rendered.content)
    return {
        "work_s": {fmt: round(statistics.median(seconds), 2) for fmt, seconds in runs.items()},
        "runs_s": {fmt: [round(value, 2) for value in seconds] for fmt, seconds in runs.items()},
    }


INNER = {"sweep": inner_sweep, "import": inner_import, "export": inner_export}
