"""Query-string values read outside a filter form, parsed in one place by a form field.

``str.isdigit()`` is no test for a number ("²" and "①" pass it, and ``int()`` then fails) and
``int()`` alone lets through numbers no database column holds; a form field does both checks."""

from django import forms
from django.core.exceptions import ValidationError

# Years, risk scales and ids all fit well inside this; anything larger is not a choice on any page.
_LARGEST = 2**31 - 1


def int_param(params, name: str, *, default=None, min_value: int = 0, max_value: int = _LARGEST):
    """The integer ``params[name]`` holds (``params`` a QueryDict or dict), else ``default``."""
    field = forms.IntegerField(required=False, min_value=min_value, max_value=max_value)
    try:
        value = field.clean(params.get(name))
    except ValidationError:
        return default
    return default if value is None else value


def year_param(params, name: str = "year", *, default=None):
    """A four-digit year from the query string, else ``default``."""
    return int_param(params, name, default=default, min_value=1, max_value=9999)
