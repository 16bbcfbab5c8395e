"""One status language for the whole app: control results, goal assessments
and risk all speak green / yellow / red (grey for not yet known), and the
word is always shown beside the colour."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tone(models.TextChoices):
    GREEN = "green", _("Grön")
    YELLOW = "yellow", _("Gul")
    RED = "red", _("Röd")
    GREY = "grey", _("Grå")


# Hex colours for documents (DOCX, XLSX, PDF) and SVG charts.
TONE_HEX = {
    Tone.GREEN: "2E7D32",
    Tone.YELLOW: "F2C200",
    Tone.RED: "B3261E",
    Tone.GREY: "9AA6B2",
}
TONE_BACKGROUND_HEX = {
    Tone.GREEN: "E3F2E4",
    Tone.YELLOW: "FFF4C2",
    Tone.RED: "FDE3E1",
    Tone.GREY: "ECEFF2",
}
