"""The fictional applicants of seeded dossiers: Vietnamese names, 12-digit personal IDs with real province
codes, businesses with valid tax codes, phones and addresses. Never a real person: their e-mail addresses
are in the reserved ``seed.invalid`` domain (RFC 2606), which is how seeded dossiers are told apart."""

import bisect
import random

SEED_DOMAIN = "seed.invalid"  # RFC 2606: never delivered

FAMILY = [
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4), ("Phan", 4),
    ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1),
    ("Lý", 1), ("Đào", 1), ("Đinh", 1), ("Mai", 1), ("Trịnh", 1), ("Lương", 1), ("Tạ", 1),
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân", "Gia", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Mai", "Kim", "Diệu"]
GIVEN_MALE = [
    "An", "Bảo", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khang", "Khoa",
    "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Toàn", "Trung",
    "Tuấn", "Tùng", "Việt", "Vinh",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan", "Linh", "Loan",
    "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy", "Trang",
    "Trinh", "Uyên", "Vân", "Yến",
]  # fmt: skip
BUSINESS_WORDS = ["Hải Đông", "Minh Phát", "An Khang", "Thành Công", "Phú Gia", "Tân Tiến", "Hưng Thịnh"]
BUSINESS_TRADES = ["Thương mại", "Xây dựng", "Dịch vụ", "Vận tải", "Nông sản", "Thực phẩm", "Công nghệ"]
PLACES = ["Thôn Đông", "Thôn Tây", "Thôn Trung", "Xóm Mới", "Tổ dân phố 3", "Tổ dân phố 7", "Khu 5"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Bạch Đằng"]
# Personal IDs: people of the (fictional) province mostly, some born elsewhere. Codes from core.identity.
BIRTH_PROVINCES = [("030", 70), ("031", 8), ("001", 6), ("034", 4), ("022", 4), ("036", 4), ("038", 4)]
REASONS = ["Bổ sung hồ sơ", "Theo yêu cầu của cơ quan", "Nhu cầu cá nhân", "Hoàn thiện thủ tục"]
SUPPLEMENT_REASONS = [
    "Bản sao chưa được chứng thực.",
    "Tờ khai thiếu chữ ký của người yêu cầu.",
    "Ảnh chụp giấy tờ không đọc được, đề nghị nộp lại bản rõ hơn.",
    "Thiếu giấy tờ chứng minh nơi cư trú.",
]


class People:
    """Draws fictional applicants with one random generator (same seed, same people)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._family = cumulative(FAMILY)
        self._provinces = cumulative(BIRTH_PROVINCES)

    def person(self) -> tuple[str, str, str]:
        rng = self.rng
        female = rng.random() < 0.52
        family = pick(rng, self._family)
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        year = rng.randint(1945, 2007)
        century_digit = (0 if year < 2000 else 2) + (1 if female else 0)
        number = f"{pick(rng, self._provinces)}{century_digit}{year % 100:02d}{rng.randrange(10**6):06d}"
        return f"{family} {middle} {given}", number, "female" if female else "male"

    def business(self) -> tuple[str, str]:
        from stdnum.vn import mst

        rng = self.rng
        base = f"0{rng.randint(10_000_000, 99_999_999)}"
        name = (
            f"Công ty TNHH {rng.choice(BUSINESS_TRADES)} {rng.choice(BUSINESS_WORDS)} {rng.randint(1, 999)}"
        )
        return name, base + mst.calc_check_digit(base)

    def phone(self) -> str:
        return f"0{self.rng.choice('3579')}{self.rng.randrange(10**8):08d}"


def cumulative(pairs) -> tuple[list, list[float]]:
    values, weights, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        weights.append(total)
    return values, weights


def pick(rng: random.Random, table):
    values, weights = table
    return values[index(rng, weights)]


def index(rng: random.Random, cumulative: list[float]) -> int:
    return min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)
