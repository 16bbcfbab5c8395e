"""A backup written by ``manage.py backup`` is restored by ``manage.py restore`` into an emptied database and
media folder: every row (to the microsecond, the admin log included) and every file, byte for byte."""

import datetime
import io
import json
import shutil
import tarfile

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from federation.backup import backed_up_models
from federation.models import ReminderMail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEAT_CHANGED = "django_celery_beat.periodictasks"
EXACT = datetime.datetime(2020, 3, 31, 12, 34, 56, 123456, tzinfo=datetime.UTC)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def every_row():
    """Each backed-up model's rows, every field, foreign keys by natural key where they have one."""
    return {
        model._meta.label_lower: serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        for model in backed_up_models()
    }


def every_file(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def seed(media, *, demo=True):
    """The demo data (or just one user), plus rows with microseconds, the admin's log, and uploaded files."""
    if demo:
        call_command("load_demo", stdout=None)
        user = get_user_model().objects.get(username="direktor")
    else:
        user = UserFactory(username="direktor")
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(ReminderMail),
        object_id="1",
        object_repr="ett mejl",
        action_flag=CHANGE,
        change_message="Ändrade något",
        action_time=EXACT,
    )
    mail = ReminderMail.objects.create(recipient=user, sweep_date=EXACT.date(), failing_since=EXACT)
    ReminderMail.objects.filter(pk=mail.pk).update(created_at=EXACT)
    (media / "bevis" / "2019").mkdir(parents=True)
    (media / "bevis" / "2019" / "kontroll.pdf").write_bytes(bytes(range(256)) * 40)
    (media / "rapporter" / "2020").mkdir(parents=True)
    (media / "rapporter" / "2020" / "årsrapport.xlsx").write_bytes(b"PK\x03\x04 inte en riktig arbetsbok")


def test_backup_then_restore_gives_back_every_row_and_every_file_exactly(media, tmp_path):
    seed(media)
    rows_before, files_before = every_row(), every_file(media)
    assert len(rows_before["admin.logentry"]) == 1
    assert len(files_before) == 2

    path = tmp_path / "kopia.tar.gz"
    call_command("backup", output=str(path))
    with tarfile.open(path) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("manifest.json"))
    assert {"data.json", "media/bevis/2019/kontroll.pdf", "media/rapporter/2020/årsrapport.xlsx"} <= set(names)
    assert set(manifest["sha256"]) == set(names) - {"manifest.json"}
    assert manifest["rows"]["admin.logentry"] == 1

    call_command("flush", interactive=False)
    shutil.rmtree(media)
    media.mkdir()
    assert every_row()["federation.remindermail"] == []

    call_command("restore", str(path), stdout=None)
    rows_after = every_row()
    # Deliberately not as it was: the schedule's "last changed", so a running beat reloads it.
    (changed_before,), (changed_after,) = rows_before.pop(BEAT_CHANGED), rows_after.pop(BEAT_CHANGED)
    assert changed_after["fields"]["last_update"] > changed_before["fields"]["last_update"]
    assert rows_after == rows_before
    assert every_file(media) == files_before
    assert LogEntry.objects.get().action_time == EXACT
    assert ReminderMail.objects.get(created_at=EXACT).failing_since == EXACT  # microseconds kept


def _groups():
    return {group.name: sorted(group.permissions.values_list("codename", flat=True)) for group in Group.objects.all()}


def test_restore_works_into_a_database_whose_groups_got_other_ids(media, tmp_path):
    seed(media, demo=False)
    groups_before = {
        group.name: sorted(group.permissions.values_list("codename", flat=True)) for group in Group.objects.all()
    }
    path = tmp_path / "kopia.tar.gz"
    call_command("backup", output=str(path))
    call_command("flush", interactive=False)
    shutil.rmtree(media)
    media.mkdir()
    # A new database made its groups in another order (or after other ids were used): same names, other ids.
    names = list(Group.objects.order_by("pk").values_list("name", flat=True))
    Group.objects.all().delete()
    for name in reversed(names):
        Group.objects.create(name=name)

    call_command("restore", str(path), stdout=None)

    groups_after = {
        group.name: sorted(group.permissions.values_list("codename", flat=True)) for group in Group.objects.all()
    }
    assert groups_after == groups_before


def test_restore_refuses_an_archive_whose_checksum_does_not_match(media, tmp_path):
    seed(media, demo=False)
    path = tmp_path / "kopia.tar.gz"
    call_command("backup", output=str(path))
    # The same archive with one file's bytes changed and the manifest left as it was.
    broken = tmp_path / "skadad.tar.gz"
    with tarfile.open(path) as source, tarfile.open(broken, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media/bevis/2019/kontroll.pdf":
                data = data[:-1] + b"x"
            target.addfile(member, io.BytesIO(data))
    call_command("flush", interactive=False)
    shutil.rmtree(media)
    with pytest.raises(CommandError, match="Kontrollsumman för media/bevis/2019/kontroll.pdf stämmer inte"):
        call_command("restore", str(broken))
    assert not get_user_model().objects.exists()
    assert not media.exists() or every_file(media) == {}


def test_restore_refuses_a_media_folder_that_already_holds_files(media, tmp_path):
    seed(media, demo=False)
    path = tmp_path / "kopia.tar.gz"
    call_command("backup", output=str(path))
    call_command("flush", interactive=False)
    with pytest.raises(CommandError, match="inte tom"):
        call_command("restore", str(path))
    assert not get_user_model().objects.exists()


@pytest.mark.django_db  # nothing to commit: the shared demo data will do
def test_restore_refuses_a_database_that_already_holds_data(tmp_path, demo_data, media):
    path = tmp_path / "kopia.tar.gz"
    call_command("backup", output=str(path))
    with pytest.raises(CommandError, match="innehåller redan data"):
        call_command("restore", str(path))


def test_a_backup_needs_the_tar_gz_suffix(tmp_path):
    with pytest.raises(CommandError, match="tar.gz"):
        call_command("backup", output=str(tmp_path / "kopia.zip"))
    assert list(tmp_path.iterdir()) == []
