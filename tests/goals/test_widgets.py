"""The Plain* widgets write the same markup as Django's widget templates (which they replace on Min enhet)."""

from django import forms

from goals.widgets import PlainNumberInput, PlainSelect, PlainTextarea, PlainTextInput

CHOICES = [("", "(ingen)"), ("a&b", "A & <b>"), ("7", "Sju"), ("Grupp", [("g1", "Ett"), ("g2", "Två")])]


def both(plain, django, name, value, attrs):
    return plain.render(name, value, attrs=attrs), django.render(name, value, attrs=attrs)


def test_plain_select_writes_what_djangos_select_template_writes():
    mine, theirs = both(PlainSelect(choices=CHOICES), forms.Select(choices=CHOICES), "x-1", "g2", {"id": "id_x"})
    assert mine == theirs
    assert "selected" in mine


def test_plain_select_escapes_values_and_labels_as_the_template_does():
    mine, theirs = both(PlainSelect(choices=CHOICES), forms.Select(choices=CHOICES), 'n"', "a&b", {"data-q": '"'})
    assert mine == theirs
    assert "A &amp; &lt;b&gt;" in mine


def test_plain_textarea_writes_what_djangos_textarea_template_writes():
    for value in ("", None, "Rad <1>\nRad 2"):
        mine, theirs = both(PlainTextarea(attrs={"rows": 3}), forms.Textarea(attrs={"rows": 3}), "t", value, {})
        assert mine == theirs


def test_plain_inputs_write_what_djangos_input_template_writes():
    for plain, django, value in (
        (PlainTextInput(), forms.TextInput(), 'Ett "citat"'),
        (PlainTextInput(), forms.TextInput(), None),
        (PlainNumberInput(attrs={"step": "0.01"}), forms.NumberInput(attrs={"step": "0.01"}), "12.50"),
    ):
        mine, theirs = both(plain, django, "v", value, {"id": "id_v", "required": True, "disabled": False})
        assert mine == theirs
