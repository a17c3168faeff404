"""normalize_text: look-alikes in OCR output become Greek; case and accents stay."""

from dimos.digitization.pipeline.normalize import normalize_text


def test_symbols_become_greek_letters():
    assert normalize_text("5 µέτρα, ∆ήμος, 10 \u2126") == "5 μέτρα, Δήμος, 10 Ω"


def test_latin_letters_inside_greek_words_become_greek():
    # "ΑΠOΦAΣΗ" with Latin O and A, "τoυ" with Latin o, "Απóφαση" with Latin ó.
    assert normalize_text("ΑΠOΦAΣΗ τoυ Δήμου, Απóφαση") == "ΑΠΟΦΑΣΗ του Δήμου, Απόφαση"
    assert normalize_text("ΑΠOΦAΣΗ").encode() == "ΑΠΟΦΑΣΗ".encode()


def test_latin_words_case_and_accents_are_kept():
    text = "Mayor Adapt city twinning, ΚΑΕ 0516, Ν. 3852/2010 και ΨΗΦΙΖΕΙ Ομόφωνα"
    assert normalize_text(text) == text
    assert normalize_text("Σπυρίδων ΣΠΥΡΙΔΩΝ") == "Σπυρίδων ΣΠΥΡΙΔΩΝ"
