"""The backup: one archive with every row and every uploaded file, with checksums, and its restore.

The archive (``.tar.gz``) holds ``data.json`` (every row of every model, primary keys kept, timestamps to the
microsecond), ``media/…`` (every file under ``MEDIA_ROOT``) and ``manifest.json`` (the SHA-256 of each of those
and the row count of each model). Left out, because ``migrate`` rebuilds them and rows point at them by natural
key: content types and permissions. ``backup_restore`` checks every checksum before it writes anything, loads
the rows into an empty, migrated database and the files into an empty media folder, all or nothing, and checks
the row counts and the files' checksums again after writing. The one value not restored as it was is
django-celery-beat's "schedule last changed" time: set to the time of the restore, so a running beat reloads
the schedule."""

import datetime
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import router, transaction
from django.test.utils import override_settings
from django.utils import timezone

FORMAT = 2
EXCLUDED = {"contenttypes.contenttype", "auth.permission"}
MANIFEST, DATA, MEDIA = "manifest.json", "data.json", "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be written or restored; the message is Swedish, for the person running it."""


class ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond (DjangoJSONEncoder, following ECMA-262, cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class ExactJSONSerializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


@dataclass
class BackupSummary:
    rows: int
    models: int
    files: int


def backed_up_models():
    """Every concrete, managed model except the excluded, in an order that loads (dependencies first)."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module is not None]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if model._meta.label_lower not in EXCLUDED
        and not model._meta.proxy
        and model._meta.managed
        and router.allow_migrate_model("default", model)
    ]


def _sha256(file) -> str:
    digest = hashlib.sha256()
    while chunk := file.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path):
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def backup_write(*, path: Path) -> BackupSummary:
    """Write the archive to ``path`` (under a temporary name first: never a half-written backup)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    models = backed_up_models()
    counts = {}
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        data = Path(tmp) / DATA
        with transaction.atomic(), data.open("w", encoding="utf-8") as file:  # one consistent snapshot
            for model in models:
                counts[model._meta.label_lower] = model._base_manager.count()

            def rows():
                for model in models:
                    yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)

            ExactJSONSerializer().serialize(rows(), stream=file, use_natural_foreign_keys=True)
        with data.open("rb") as file:
            checksums = {DATA: _sha256(file)}
        media_root = Path(settings.MEDIA_ROOT)
        media = _media_files(media_root)
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(data, arcname=DATA)
            for file_path in media:
                name = str(PurePosixPath(MEDIA, *file_path.relative_to(media_root).parts))
                with file_path.open("rb") as file:
                    checksums[name] = _sha256(file)
                archive.add(file_path, arcname=name)
            manifest = json.dumps(
                {
                    "format": FORMAT,
                    "created": timezone.now().isoformat(),
                    "rows": counts,
                    "sha256": checksums,
                },
                indent=1,
                ensure_ascii=False,
            ).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(manifest))
    partial.replace(path)
    return BackupSummary(rows=sum(counts.values()), models=len(counts), files=len(media))


def _manifest(archive) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError("Säkerhetskopian saknar en läsbar innehållsförteckning (manifest.json).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Okänt format på säkerhetskopian: {manifest.get('format')!r}")
    return manifest


def backup_verify(*, path: Path) -> dict:
    """Check every member of the archive against its checksum; returns the manifest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = _manifest(archive)
            checksums = manifest["sha256"]
            members = {m.name: m for m in archive.getmembers() if m.isfile()}
            unlisted = sorted(set(members) - set(checksums) - {MANIFEST})
            if unlisted:
                raise BackupError(f"Säkerhetskopian innehåller filer som inte står i förteckningen: {unlisted[0]}")
            for name, expected in checksums.items():
                if name not in members:
                    raise BackupError(f"Säkerhetskopian saknar {name}")
                if _sha256(archive.extractfile(members[name])) != expected:
                    raise BackupError(f"Kontrollsumman för {name} stämmer inte: säkerhetskopian är skadad")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"Säkerhetskopian kan inte läsas: {error}") from error
    return manifest


def _database_is_empty() -> bool:
    from django.contrib.auth import get_user_model

    from federation.models import Federation

    return not Federation.objects.exists() and not get_user_model().objects.exists()


def backup_restore(*, path: Path) -> BackupSummary:
    """Restore the archive into an empty, migrated database and an empty media folder, all or nothing."""
    from django.contrib.auth.models import Group
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        PeriodicTasks,
        SolarSchedule,
    )

    if not path.exists():
        raise BackupError(f"Filen finns inte: {path}")
    manifest = backup_verify(path=path)
    if not _database_is_empty():
        raise BackupError(
            "Databasen innehåller redan data. Återställ till en tom databas (kör migrate på en ny databas först)."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if _media_files(media_root):
        raise BackupError(f"Mappen för uppladdade filer ({media_root}) är inte tom. Återställ till en tom mapp.")

    written = []
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path, "r:gz") as archive:
        archive.extract(DATA, tmp, filter="data")
        try:
            # The backup holds the history itself: restoring must not write more of it.
            with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
                # migrate installs the default periodic tasks and the groups; the backup holds the
                # organisation's own (perhaps edited) schedule and its groups, which replace them. (The
                # groups a new database gets need not have the ids they had: loaded over them, a group
                # would meet its own name under another id.)
                Group.objects.all().delete()
                PeriodicTask.objects.all().delete()
                for schedule in (CrontabSchedule, IntervalSchedule, SolarSchedule, ClockedSchedule):
                    schedule.objects.all().delete()
                call_command("loaddata", str(Path(tmp) / DATA), verbosity=0)
                # The one value not restored as it was: the time the schedule last changed is now, so a
                # running Celery beat reloads the restored schedule.
                PeriodicTasks.update_changed()
                for model in backed_up_models():
                    label = model._meta.label_lower
                    if model._base_manager.count() != manifest["rows"].get(label, 0):
                        raise BackupError(f"Antalet rader i {label} stämmer inte efter återställningen")
                for name, expected in manifest["sha256"].items():
                    if not name.startswith(f"{MEDIA}/"):
                        continue
                    target = media_root.joinpath(*PurePosixPath(name).parts[1:])
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.extractfile(name) as source, target.open("wb") as file:
                        shutil.copyfileobj(source, file, CHUNK)
                    written.append(target)
                    with target.open("rb") as file:
                        if _sha256(file) != expected:
                            raise BackupError(f"Kontrollsumman för den återställda filen {name} stämmer inte")
        except BaseException:
            for target in written:
                target.unlink(missing_ok=True)
            raise
    return BackupSummary(rows=sum(manifest["rows"].values()), models=len(manifest["rows"]), files=len(written))
