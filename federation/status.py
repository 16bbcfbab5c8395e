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


# The word a colour stands for where no more exact word is given (the Sammanfattning, a count's cell): shown
# beside the colour and in the colour key, so a report reads the same in greyscale.
TONE_WORDS = {
    Tone.GREEN: _("I fas"),
    Tone.YELLOW: _("Följs upp"),
    Tone.RED: _("Kräver åtgärd"),
    Tone.GREY: _("Ej bedömt"),
}


def tone_word(tone) -> str:
    """The general status word of ``tone`` (a Tone or its value); "" for no tone."""
    return str(TONE_WORDS[Tone(tone)]) if tone else ""


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
