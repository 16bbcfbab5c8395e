from django import template

register = template.Library()


@register.inclusion_tag("federation/includes/status_badge.html")
def status_badge(tone, label):
    """``{% status_badge "green" "Uppfyllt" %}``: a coloured badge that always carries its word."""
    return {"tone": tone or "grey", "label": label}
