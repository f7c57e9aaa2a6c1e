"""Our payment references: short, upper case, without look-alike characters (0/O, 1/I/L), so that they
survive being read aloud or typed in a bank transfer's purpose field."""

import secrets

PREFIX = "TT"  # thanh toán
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10  # 31**10 ≈ 8·10**14 references: a clash is retried, never expected


def new_reference() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
