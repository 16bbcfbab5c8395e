from django import template

from goals.models import status_tone as _status_tone

register = template.Library()


@register.filter
def status_tone(value):
    """``{{ assessment.status|status_tone }}``: the tone of a status (the one mapping lives in goals.models)."""
    return _status_tone(value)
