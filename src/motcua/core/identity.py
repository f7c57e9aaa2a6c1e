"""Vietnamese identifiers: personal ID (số định danh cá nhân / CCCD), business tax code, phone numbers.

Each ``validate_*`` raises ``django.core.exceptions.ValidationError`` with a message a citizen understands
and returns the normalised value (digits only), so forms, the API and imports share one rule.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

# Province-of-birth codes of the 12-digit personal ID (Circular 07/2016/TT-BCA, 63 provinces).
PROVINCE_CODES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hoà Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hoá", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hoà", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu",
    "079": "Thành phố Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre",
    "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang",
    "092": "Cần Thơ", "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

# Fourth digit: gender and century of birth (even = male, odd = female).
CENTURY_BY_DIGIT = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}

_MOBILE = re.compile(r"^0(3|5|7|8|9)\d{8}$")
_LANDLINE = re.compile(r"^02\d{8,9}$")


def _digits(value: str) -> str:
    return re.sub(r"[\s.\-]", "", str(value or ""))


def validate_personal_id(value: str, birth_date: date | None = None) -> str:
    """A 12-digit personal ID: a known province code, and gender/century + year digits that match the birth
    date when one is given. There is no check digit, so this is all that can be verified offline."""
    number = _digits(value)
    if not re.fullmatch(r"\d{12}", number):
        raise ValidationError(_("A personal ID number has exactly 12 digits."), code="format")
    if number[:3] not in PROVINCE_CODES:
        raise ValidationError(
            _("The first three digits (%(code)s) are not a province code."),
            code="province",
            params={"code": number[:3]},
        )
    if birth_date is not None:
        century = CENTURY_BY_DIGIT[int(number[3])]
        year = century + int(number[4:6])
        if year != birth_date.year:
            raise ValidationError(
                _("This personal ID does not match the date of birth (it says born in %(year)s)."),
                code="birth_year",
                params={"year": year},
            )
    return number


def personal_id_gender(value: str) -> str:
    """'male' or 'female', from the fourth digit of a valid personal ID."""
    return "female" if int(_digits(value)[3]) % 2 else "male"


def validate_tax_code(value: str) -> str:
    """A business tax code (mã số thuế): 10 digits with a check digit, or 13 for a branch (NNNNNNNNNN-NNN)."""
    try:
        return mst.validate(str(value or ""))
    except StdnumError:
        raise ValidationError(
            _("A tax code has 10 digits (13 for a branch) and its check digit must be right."),
            code="tax_code",
        ) from None


def validate_phone(value: str) -> str:
    """A Vietnamese mobile (10 digits from 03, 05, 07, 08, 09) or landline (02…) number; +84 is accepted."""
    number = _digits(value)
    if number.startswith("+84"):
        number = "0" + number[3:]
    elif number.startswith("84") and len(number) == 11:
        number = "0" + number[2:]
    if not (_MOBILE.match(number) or _LANDLINE.match(number)):
        raise ValidationError(
            _("Enter a Vietnamese phone number, e.g. 0912345678 or +84912345678."), code="phone"
        )
    return number
