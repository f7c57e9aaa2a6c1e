"""Amounts of money in Vietnamese đồng (VND, whole numbers): in figures ("200.000 đ") and in words ("Hai trăm
nghìn đồng"), as receipts and invoices print them ("Bằng chữ: …")."""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Groups of three digits below a billion; a billion (tỷ) repeats: a thousand billion is "nghìn tỷ".
GROUPS = ("", "nghìn", "triệu")
BILLION = 1_000_000_000


def format_vnd(amount: int) -> str:
    """``amount`` in figures with dots between thousands, as Vietnamese write it: 1.250.000 đ."""
    return f"{int(amount):,}".replace(",", ".") + " đ"


def _hundreds(number: int, *, full: bool) -> str:
    """Words of ``number`` (0–999). ``full``: not the leading group, so "không trăm" and "linh" are said
    (1.005.000: "một triệu không trăm linh năm nghìn")."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return " ".join(words)


def _below_billion(number: int, *, full: bool) -> list[str]:
    groups = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        leading = not words and not full
        words += [_hundreds(group, full=not leading)]
        if GROUPS[index]:
            words.append(GROUPS[index])
    return words


def _words(number: int, *, full: bool = False) -> list[str]:
    high, low = divmod(number, BILLION)
    words: list[str] = []
    if high:
        words += [*_words(high, full=full), "tỷ"]
    if low:
        words += _below_billion(low, full=full or bool(high))
    return words


def amount_in_words(amount: int) -> str:
    """The amount in Vietnamese words, capitalised, with the currency: 200000 gives "Hai trăm nghìn đồng",
    1005000 "Một triệu không trăm linh năm nghìn đồng", 0 "Không đồng". Whole đồng only."""
    amount = int(amount)
    if amount < 0:
        raise ValueError("An amount in words is never negative.")
    text = " ".join(_words(amount)) if amount else DIGITS[0]
    return f"{text[0].upper()}{text[1:]} đồng"
