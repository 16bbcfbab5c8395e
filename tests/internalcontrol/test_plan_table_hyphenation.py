"""The plan page's long Swedish words carry soft hyphens at their syllables, so the seven columns fit a
1366 px window without a word running out of its column (browsers here have no Swedish ``hyphens: auto``)."""

from federation.hyphenation import SOFT_HYPHEN, soft_hyphens


def test_long_words_get_soft_hyphens_at_swedish_syllables_and_read_the_same():
    text = soft_hyphens("Kontroll av kompetensförsörjningsperspektiv, dokumenthanteringsplanen.")
    assert "kom\u00adpe\u00adtens\u00adför" in text
    assert text.replace(SOFT_HYPHEN, "") == "Kontroll av kompetensförsörjningsperspektiv, dokumenthanteringsplanen."


def test_short_words_and_numbers_are_left_whole():
    assert soft_hyphens("Medel (6) Kvartalsvis 2019-12-06 Stickprov") == "Medel (6) Kvartalsvis 2019-12-06 Stickprov"
