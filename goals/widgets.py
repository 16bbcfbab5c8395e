"""Form widgets that write their markup in Python: the same HTML as Django's widget templates (and the inlined
copies in templates/django/forms/widgets/), without a template render per widget. Min enhet shows a short form
per goal, strategy, activity and mätetal (about a hundred widgets a page), and rendering the widget templates
was most of its time. Built with format_html, which escapes every value as the templates do."""

from django import forms
from django.utils.html import format_html, format_html_join


def _attrs(attrs):
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


class PlainInputMixin:
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, _attrs(widget["attrs"])
        )


class PlainTextInput(PlainInputMixin, forms.TextInput):
    pass


class PlainNumberInput(PlainInputMixin, forms.NumberInput):
    pass


class PlainTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        text = widget["value"] or ""
        return format_html('<textarea name="{}"{}>\n{}</textarea>', widget["name"], _attrs(widget["attrs"]), text)


class PlainSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, group_choices, _index in widget["optgroups"]:
            options = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>',
                ((option["value"], _attrs(option["attrs"]), option["label"]) for option in group_choices),
            )
            if group_name:
                options = format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, options)
            groups.append((options,))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            format_html_join("", "{}", groups),
        )
