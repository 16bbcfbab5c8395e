from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def overview_panel(context, panel):
    """``{% overview_panel panel %}``: a panel's template, with the page's variables and the panel's own
    (as ``{% include %}`` does, but with the variables the panel's ``context`` returned)."""
    panel_template = context.template.engine.get_template(panel.template_name)
    with context.push(panel.context):
        return panel_template.render(context)
