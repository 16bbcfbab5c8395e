"""A backup written by ``manage.py backup`` is restored by ``manage.py restore`` into an emptied database."""

import gzip
import json

import pytest
from django.apps import apps
from django.core.management import call_command

from federation.management.commands.backup import EXCLUDED

pytestmark = pytest.mark.django_db(transaction=True)


def counts():
    skipped = {label for label in EXCLUDED if "." not in label}
    skipped_models = {label.lower() for label in EXCLUDED if "." in label}
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in skipped and model._meta.label_lower not in skipped_models
    }


def test_backup_then_restore_gives_back_every_row(tmp_path):
    call_command("load_demo", stdout=None)
    before = counts()
    assert before["federation.roleassignment"] > 0

    path = tmp_path / "kopia.json.gz"
    call_command("backup", output=str(path))
    with gzip.open(path, "rt", encoding="utf-8") as file:
        assert any(row["model"] == "federation.municipality" for row in json.load(file))

    call_command("flush", interactive=False)
    assert counts()["federation.roleassignment"] == 0
    call_command("restore", str(path))
    assert counts() == before


@pytest.mark.django_db  # nothing to commit: the shared demo data will do
def test_restore_refuses_a_database_that_already_holds_data(tmp_path, demo_data):
    from django.core.management.base import CommandError

    path = tmp_path / "kopia.json.gz"
    call_command("backup", output=str(path))
    with pytest.raises(CommandError, match="innehåller redan data"):
        call_command("restore", str(path))


def test_a_backup_needs_the_json_gz_suffix(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="json.gz"):
        call_command("backup", output=str(tmp_path / "kopia.zip"))
    assert list(tmp_path.iterdir()) == []
