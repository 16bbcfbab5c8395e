"""No user input is rendered unescaped: no template turns autoescaping off or marks a value
safe, and Python code builds HTML only with format_html (which escapes its arguments)."""

import re
from pathlib import Path

import pytest

from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]
OWN_CODE = ["federation", "goals", "internalcontrol", "templates", "config"]

UNSAFE = re.compile(r"\|\s*safe\b|autoescape\s+off|mark_safe\(|SafeString\(|\|\s*safeseq\b")


def own_files():
    for top in OWN_CODE:
        for path in (BASE_DIR / top).rglob("*"):
            # Plain-text mail templates (.txt) are never read as HTML, so they are left out.
            if path.suffix in {".html", ".py"} and "migrations" not in path.parts:
                yield path


def test_no_template_or_module_bypasses_autoescaping():
    offenders = [
        f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()}"
        for path in own_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNSAFE.search(line)
    ]
    assert offenders == []


@pytest.mark.django_db
def test_a_name_with_markup_is_shown_as_text(client):
    user = UserFactory(username="mallory", first_name="<script>alert(1)</script>", last_name="X")
    client.force_login(user)
    page = client.get("/", follow=True).content.decode()  # a user without a role: the page saying so
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
