"""Portable substring test for folded search keys.

Django's ``contains`` becomes ``LIKE '%…%'``, which SQLite evaluates character by character with case
folding; the keys we search are already folded ASCII, so a plain byte search is both exact and several
times faster: ``INSTR`` on SQLite, ``STRPOS`` on PostgreSQL. Both give the same answer on the same data.
"""

from django.db.models import Lookup


class Includes(Lookup):
    """``Includes(F("field"), Value("text"))``: the field holds the text, byte for byte."""

    lookup_name = "includes"
    function = "INSTR"

    def as_sql(self, compiler, connection, function=None):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{function or self.function}({lhs}, {rhs}) > 0", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, function="STRPOS")
