"""Text helpers for Vietnamese: folding to a plain ASCII search key.

Vietnamese is written with combining tone and vowel marks; citizens type it with or without them, in any
case, and phones may send it composed (NFC) or decomposed (NFD). Search compares folded keys so that
"ĐĂNG KÝ KHAI SINH", "dang ky khai sinh" and "Đăng ký khai sinh" are the same words.
"""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z.]+")
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
