"""``{{ user|person }}``: a person by full name (federation.people.person_name)."""

from django import template

from federation.people import NOBODY, person_name

register = template.Library()


@register.filter
def person(user, default=NOBODY):
    return person_name(user, default=default)
