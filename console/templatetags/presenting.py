"""`{{ text|presentable }}`: the text masked in presentation mode (console.presenting)."""

from django import template

from console import presenting

register = template.Library()


@register.filter(needs_autoescape=False)
def presentable(text, on):
    return presenting.mask(str(text)) if on else text
