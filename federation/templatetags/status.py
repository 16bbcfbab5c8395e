from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def status_badge(tone, label):
    """``{% status_badge "green" "Uppfyllt" %}``: a coloured badge that always carries its word. Written here
    rather than by an inclusion template: a template render per badge was a noticeable part of long pages."""
    return format_html('<span class="status status-{}">{}</span>\n', tone or "grey", label)
