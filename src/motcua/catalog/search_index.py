"""The catalogue's search index, held in each process and rebuilt when the catalogue changes.

A province publishes a few thousand procedures at most, and they change a few times a month, while
citizens search all day. So the folded keys stored on each procedure (``search_name``, ``search_text``)
are loaded once per catalogue revision into an inverted index (word → procedures), and a search is a
few set intersections and a sort in memory: well under a millisecond, and the same answer whatever the
database, because the database only supplies the stored keys.

Ranking tiers, best first:

0. the query is the procedure's code, or its whole name;
1. the name starts with the query;
2. the name holds the query as a phrase;
3. the name holds every word of the query;
4. the other text (sector, result, components, agencies…) holds every word; here names that hold the
   query's rarer words come first ("khai sinh" matters more than "đăng ký", which half the names have):
   the sum of the inverse document frequencies, log(N / df), of the query words in the name.

Words match whole ("tu" does not find "tục"): Vietnamese syllables are short and prefixes are noise.
Inside a tier, shorter names come first (the closest match), then the code. Without words, procedures
come in the order of their folded names, then codes.
"""

import math
import threading
from collections import defaultdict
from dataclasses import dataclass

from motcua.core.text import fold

from .models import ONLINE_LEVELS_BY_SERVICE_LEVEL, Procedure, ServiceLevel


@dataclass(frozen=True, slots=True)
class Entry:
    pk: int
    code: str
    name: str  # the folded name, padded with spaces
    sector_id: int
    authority_level: str
    online_level: int


class SearchIndex:
    def __init__(self, entries: list[Entry], words: dict[str, set[int]], agencies: dict[int, set[int]]):
        self.entries = {e.pk: e for e in entries}
        self.words = words
        self.agencies = agencies
        self.by_name = [e.pk for e in sorted(entries, key=lambda e: (e.name, e.code))]

    @classmethod
    def build(cls) -> "SearchIndex":
        entries, words = [], defaultdict(set)
        rows = Procedure.objects.active().values_list(
            "pk", "code", "search_name", "search_text", "sector_id", "authority_level", "online_level"
        )
        for pk, code, name, text, sector_id, authority_level, online_level in rows.iterator(chunk_size=2000):
            entries.append(Entry(pk, code, name, sector_id, authority_level, online_level))
            for word in text.split():
                words[word].add(pk)
        agencies = defaultdict(set)
        for procedure_id, agency_id in Procedure.agencies.through.objects.values_list(
            "procedure_id", "agency_id"
        ):
            agencies[agency_id].add(procedure_id)
        return cls(entries, dict(words), dict(agencies))

    def search(self, q="", sector_id=None, agency_id=None, authority_level="", service_level="") -> list[int]:
        """Primary keys of the matching active procedures, best first."""
        phrase = fold(q)
        tokens = phrase.split()
        if tokens:
            sets = sorted((self.words.get(t, set()) for t in tokens), key=len)
            candidates = set.intersection(*sets) if sets[0] else set()
        else:
            candidates = None  # everything, in name order
        if agency_id is not None:
            in_agency = self.agencies.get(agency_id, set())
            candidates = in_agency if candidates is None else candidates & in_agency
        levels = ONLINE_LEVELS_BY_SERVICE_LEVEL[ServiceLevel(service_level)] if service_level else None

        def wanted(e: Entry) -> bool:
            return (
                (sector_id is None or e.sector_id == sector_id)
                and (not authority_level or e.authority_level == authority_level)
                and (levels is None or e.online_level in levels)
            )

        if not tokens:
            pool = self.by_name if candidates is None else [pk for pk in self.by_name if pk in candidates]
            return [pk for pk in pool if wanted(self.entries[pk])]

        code = q.strip()
        padded = f" {phrase} "
        padded_tokens = [f" {t} " for t in tokens]
        total = len(self.entries) or 1
        weights = {f" {t} ": round(math.log(total / max(len(self.words.get(t, ())), 1)), 9) for t in tokens}

        def rank(e: Entry) -> tuple[int, float, int, str]:
            if e.code == code or e.name == padded:
                tier = 0
            elif e.name.startswith(padded):
                tier = 1
            elif padded in e.name:
                tier = 2
            elif all(t in e.name for t in padded_tokens):
                tier = 3
            else:
                return 4, -sum(w for t, w in weights.items() if t in e.name), len(e.name), e.code
            return tier, 0.0, len(e.name), e.code

        matches = [self.entries[pk] for pk in candidates if pk in self.entries]
        return [e.pk for e in sorted((e for e in matches if wanted(e)), key=rank)]


_lock = threading.Lock()
_current: tuple[str, SearchIndex] | None = None


def index_for(revision: str) -> SearchIndex:
    """The index of the catalogue at ``revision``, built on first use in this process."""
    global _current
    current = _current
    if current is not None and current[0] == revision:
        return current[1]
    with _lock:
        if _current is None or _current[0] != revision:
            _current = (revision, SearchIndex.build())
        return _current[1]
