"""``{% load history %}{% object_history obj as rows %}``: an object's audit trail for includes/history.html."""

from django import template

from federation.history import object_history as _object_history

register = template.Library()


@register.simple_tag
def object_history(obj):
    return _object_history(obj)
