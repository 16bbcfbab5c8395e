"""Internal control's template tags."""

from django import template

from federation.navigation import viewer

from ..permissions import viewer_may_get_evidence_pack

register = template.Library()


@register.simple_tag(takes_context=True)
def may_get_evidence_pack(context) -> bool:
    """Whether the Bevispaket tab shows: the rule of ``permissions.may_get_evidence_pack``, on the viewer."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return viewer_may_get_evidence_pack(viewer(request))
