"""Opening an untrusted PDF within bounds: its page tree and its objects walked once each, its actions found.

One check for every PDF that comes from outside (a dossier's papers, a result uploaded to be verified):
``inspect_pdf`` reads the file with pypdf but walks it itself, with limits on the page tree's depth, the
pages, and the objects and values visited, so a 1 KB file whose page tree fans out 20 wide and 6 deep (64
million pages by shared references) is refused after a few nodes instead of costing seconds of CPU. Any
error of the parser becomes a ``PdfRefused`` with a message for people; nothing escapes as a server error.

It also names the PDF's active content: JavaScript (``/JS``, ``/JavaScript``, XFA forms), actions run on
events (``/AA``, an ``/OpenAction`` of these kinds) and launching programs (``/Launch``). Such a file is
accepted (forms exported by office suites carry them) but flagged to officers and never shown inline.
"""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Limits of one walk. A dossier's paper has a few pages to a few hundred; a file holding more is not a
# paper. Balanced page trees of real files are a handful of levels deep (pypdf and most producers: 1-3).
MAX_PAGES = 5_000
MAX_PAGE_TREE_DEPTH = 32
# Objects (indirect) and values (every dictionary entry and array element) visited while looking for
# active content: a 300-page scan has ~1,000 objects; a 10 MB text PDF ~20,000.
MAX_OBJECTS = 50_000
MAX_VALUES = 1_000_000

# Dictionary keys and action types (/S) that make a PDF active.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/XFA"})
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch"})


class PdfRefused(ValueError):
    """The PDF cannot be accepted; ``str(exc)`` is a message for the person who uploaded it."""


class _TooComplex(Exception):
    pass


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    # The names of the active content found, sorted, e.g. ("/AA", "/JavaScript"); empty when none.
    active_content: tuple[str, ...]

    @property
    def is_active(self) -> bool:
        return bool(self.active_content)


def inspect_pdf(content: bytes) -> PdfFacts:
    """Open ``content`` within the limits above; its pages and active content, or ``PdfRefused``."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise PdfRefused(
                _("This PDF is protected by a password: save it without protection and attach it again.")
            )
        root = reader.trailer["/Root"]
        pages = _count_pages(root.get_object()["/Pages"])
        active = _active_content(root)
    except PdfRefused:
        raise
    except _TooComplex:
        raise PdfRefused(
            _(
                "This PDF is built in a way too complex to check (its pages or objects are too many or "
                "nested too deep); print it to a new PDF or scan it again, then attach it."
            )
        ) from None
    except Exception:  # untrusted bytes: whatever the parser trips on (LimitReachedError included)
        raise PdfRefused(_("This PDF is damaged or incomplete and cannot be opened.")) from None
    if pages < 1:
        raise PdfRefused(_("This PDF has no pages."))
    return PdfFacts(pages=pages, active_content=tuple(sorted(active)))


def _key(reference):
    """The identity of an indirect reference (None for a direct object)."""
    from pypdf.generic import IndirectObject

    return (reference.idnum, reference.generation) if isinstance(reference, IndirectObject) else None


def _get(dictionary, name):
    """``dictionary[name]`` resolved, or None (``dict.get`` of pypdf's dictionaries does not resolve)."""
    value = dictionary.get(name)
    return value.get_object() if value is not None else None


def _count_pages(pages_ref) -> int:
    """The leaves of the page tree, each node visited once: a node reached twice (a loop, or a "fan" of
    shared references that multiplies the pages) makes the tree too complex."""
    from pypdf.generic import ArrayObject, DictionaryObject

    seen = set()
    stack = [(pages_ref, 1)]
    count = nodes = 0
    while stack:
        reference, depth = stack.pop()
        key = _key(reference)
        if key is not None:
            if key in seen:
                raise _TooComplex
            seen.add(key)
        nodes += 1
        if depth > MAX_PAGE_TREE_DEPTH or nodes > 2 * MAX_PAGES + MAX_PAGE_TREE_DEPTH:
            raise _TooComplex
        node = reference.get_object()
        if not isinstance(node, DictionaryObject):
            raise ValueError("a page tree node is not a dictionary")
        kids = _get(node, "/Kids")
        if kids is None and _get(node, "/Type") != "/Pages":
            count += 1
            if count > MAX_PAGES:
                raise _TooComplex
            continue
        kids = kids if kids is not None else []
        if not isinstance(kids, ArrayObject):
            raise ValueError("/Kids is not an array")
        if len(kids) > MAX_PAGES:
            raise _TooComplex
        stack.extend((kid, depth + 1) for kid in kids)
    return count


def _active_content(root) -> set[str]:
    """Every object reachable from the catalogue, once each (no stream decoded beyond what pypdf needs to
    read objects stored in object streams): the active keys and action types found."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found = set()
    seen = set()
    stack = [root]
    objects = values = 0
    while stack:
        value = stack.pop()
        values += 1
        if values > MAX_VALUES:
            raise _TooComplex
        if isinstance(value, IndirectObject):
            key = _key(value)
            if key in seen:
                continue
            seen.add(key)
            objects += 1
            if objects > MAX_OBJECTS:
                raise _TooComplex
            value = value.get_object()
        if isinstance(value, DictionaryObject):  # streams too (their dictionary; the data is not read)
            found.update(ACTIVE_KEYS.intersection(value.keys()))
            action = _get(value, "/S")
            if action in ACTIVE_ACTIONS:
                found.add(str(action))
            if _is_active_action(_get(value, "/OpenAction")):
                found.add("/OpenAction")
            stack.extend(value.values())
        elif isinstance(value, ArrayObject):
            stack.extend(value)
    return found


def _is_active_action(action) -> bool:
    from pypdf.generic import DictionaryObject

    return isinstance(action, DictionaryObject) and _get(action, "/S") in ACTIVE_ACTIONS
