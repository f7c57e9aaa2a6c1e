"""Text helpers: folding Vietnamese to a plain ASCII search key; reading a whole number typed in a request.

Vietnamese is written with combining tone and vowel marks; citizens type it with or without them, in any
case, and phones may send it composed (NFC) or decomposed (NFD). Search compares folded keys so that
"ĐĂNG KÝ KHAI SINH", "dang ky khai sinh" and "Đăng ký khai sinh" are the same words.
"""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z.]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")
# đ/Đ is a letter of its own, not d with a combining mark, so NFD does not split it.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Lower-case ASCII key of ``text``: marks removed, đ → d, punctuation collapsed to single spaces.

    Dots are kept so that procedure codes such as ``1.001193`` stay searchable as one word.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = stripped.lower().translate(_LETTER_MAP)
    words = _NON_WORD.sub(" ", lowered).split()
    # A dot only matters inside a word (codes, numbers); trailing sentence dots are noise.
    return " ".join(w.strip(".") for w in words if w.strip("."))


def words(text: str) -> list[str]:
    """The distinct folded words of ``text``, in order."""
    seen: dict[str, None] = {}
    for word in fold(text).split():
        seen.setdefault(word, None)
    return list(seen)


def whole_number(text, *, digits: int = 9) -> int | None:
    """The whole number ``text`` writes in ASCII digits (at most ``digits`` of them), else None.

    For numbers that come from a request (a page, a step, a status code, a version): ``str.isdigit()`` also
    accepts "²" or "١", which ``int()`` refuses, and ``int()`` of thousands of digits raises; either would be
    a server error instead of "not a number".
    """
    if not isinstance(text, str) or len(text) > digits or not _ASCII_DIGITS.fullmatch(text):
        return None
    return int(text)
