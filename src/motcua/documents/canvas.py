"""Documents drawn directly on a PDF canvas (reportlab), for forms issued in bulk: no HTML, no CSS cascade, no
layout engine. Form 01 (the receipt) costs a few milliseconds of CPU this way, against ~130 ms through
WeasyPrint (bench/receipt.py measures both); slips printed now and then stay on ``pdf.render_pdf``.

A ``Sheet`` is an A4 page laid out as Decree 30/2020 Annex I asks (the margins and sizes of print.css): text
is wrapped to the width it is given and flows onto new pages, numbered from the second one, so nothing is
ever drawn past a margin. Like ``pdf.render_pdf``, it embeds only the Noto Serif subsets shipped in
``fonts/``, registered once per process from those files (a font of the machine can never stand in).

Text is NFC-normalised before drawing: the fonts have every precomposed Vietnamese letter, and reportlab
does not position combining marks (no shaping), so precomposed letters are what keep the diacritics right.
"""

import io
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# The names the canvas knows the shipped files by; the PDF names them by their own PostScript names
# (``NotoSerif-Regular``…), with the subset tag in front.
REGULAR, BOLD, ITALIC = "MotcuaSerif", "MotcuaSerif-Bold", "MotcuaSerif-Italic"
FONT_FILES = {
    REGULAR: "NotoSerif-Regular.ttf",
    BOLD: "NotoSerif-Bold.ttf",
    ITALIC: "NotoSerif-Italic.ttf",
}
STYLES = {"regular": REGULAR, "bold": BOLD, "italic": ITALIC}

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = 20 * mm, 15 * mm, 20 * mm, 30 * mm
LEADING = 1.25  # line height as a multiple of the font size, as print.css
# Noto Serif's ascent and descent (hhea, per unit of font size): a line box puts the baseline where CSS does.
ASCENT, DESCENT = 1.069, 0.293
RULE = 0.6  # points: table borders and the rules of the header

# Streams are only compressed, not also ASCII85-encoded (reportlab's default, for 7-bit channels no PDF
# travels over today): a quarter smaller, and that encoding was a tenth of the drawing time.
rl_config.useA85 = 0

_registered = False
_lock = threading.Lock()


def register_fonts() -> None:
    """Load the shipped fonts into reportlab, once per process (parsing them is the costly part; each
    document then keeps its own subsets, so threads can draw documents at the same time)."""
    global _registered
    if _registered:
        return
    with _lock:
        if not _registered:
            for name, filename in FONT_FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / filename)))
            _registered = True


def clean(text) -> str:
    """``text`` as drawn: NFC, white space of any kind made single spaces, control characters left out."""
    text = unicodedata.normalize("NFC", str(text if text is not None else ""))
    text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Run:
    """A piece of text in one style (``regular``, ``bold`` or ``italic``)."""

    text: str
    style: str = "regular"


def runs(*parts) -> list[Run]:
    """Runs from strings (regular) and ``(text, style)`` pairs: ``runs("Mã: ", ("X", "bold"))``."""
    return [Run(*p) if isinstance(p, tuple) else Run(p) for p in parts]


# A line: its pieces (text, font) in order, and its natural width.
Line = tuple[list[tuple[str, str]], float]


def wrap(parts: Sequence[Run], width: float, size: float) -> list[Line]:
    """``parts`` broken into lines no wider than ``width`` at ``size``: between words, and inside a word
    only when the word alone is wider than the line (a long address)."""
    # Words: lists of (text, font) pieces, a style change inside a word keeping it one word.
    words: list[list[tuple[str, str]]] = []
    joined = True  # does the next piece continue the last word?
    for part in parts:
        font = STYLES[part.style]
        text = unicodedata.normalize("NFC", part.text)
        text = "".join(c if c.isprintable() else " " for c in text)
        for i, chunk in enumerate(text.split(" ")):
            if i:
                joined = False
            if not chunk:
                continue
            if joined and words:
                words[-1].append((chunk, font))
            else:
                words.append([(chunk, font)])
            joined = True
    lines: list[Line] = []
    current: list[tuple[str, str]] = []
    current_width = 0.0
    for word in words:
        word_width = sum(pdfmetrics.stringWidth(t, f, size) for t, f in word)
        space = pdfmetrics.stringWidth(" ", current[-1][1], size) if current else 0.0
        if current and current_width + space + word_width <= width:
            current[-1] = (current[-1][0] + " ", current[-1][1])
            for text, font in word:  # one piece per run of a font: fewer text operators
                if current[-1][1] == font:
                    current[-1] = (current[-1][0] + text, font)
                else:
                    current.append((text, font))
            current_width += space + word_width
            continue
        if current:
            lines.append((current, current_width))
        current, current_width = [], 0.0
        if word_width <= width:
            current, current_width = list(word), word_width
            continue
        for text, font in word:  # wider than a line: broken between characters
            for char in text:
                char_width = pdfmetrics.stringWidth(char, font, size)
                if current and current_width + char_width > width:
                    lines.append((current, current_width))
                    current, current_width = [], 0.0
                if current and current[-1][1] == font:
                    current[-1] = (current[-1][0] + char, font)
                else:
                    current.append((char, font))
                current_width += char_width
    if current:
        lines.append((current, current_width))
    return lines


@dataclass
class Block:
    """Wrapped text ready to draw: its lines, font size, alignment (left, center, justify) and height."""

    lines: list[Line]
    size: float
    align: str = "left"
    leading: float = LEADING

    @property
    def line_height(self) -> float:
        return self.size * self.leading

    @property
    def height(self) -> float:
        return len(self.lines) * self.line_height


def block(parts: Sequence[Run] | str, width: float, size: float = 13, align: str = "left") -> Block:
    parts = runs(parts) if isinstance(parts, str) else parts
    return Block(wrap(parts, width, size), size, align)


@dataclass(frozen=True)
class Cell:
    """A cell of a table header: its text, first column and row, and how many of each it spans."""

    text: str
    column: int
    row: int = 0
    columns: int = 1
    rows: int = 1


class Sheet:
    """An A4 document drawn top to bottom: ``y`` is where the next thing starts, ``new_page`` when full."""

    def __init__(self, *, title: str, author: str = "", subject: str = ""):
        register_fonts()
        self.buffer = io.BytesIO()
        self.canvas = Canvas(
            self.buffer,
            pagesize=A4,
            pageCompression=1,
            initialFontName=REGULAR,
            initialFontSize=13,
            lang="vi",
        )
        self.canvas.setTitle(clean(title))
        self.canvas.setAuthor(clean(author))
        self.canvas.setSubject(clean(subject or title))
        self.canvas.setCreator("Motcua")
        self.canvas.setLineWidth(RULE)
        self.page = 1
        self.left = MARGIN_LEFT
        self.width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
        self.top = PAGE_HEIGHT - MARGIN_TOP
        self.bottom = MARGIN_BOTTOM
        self.y = self.top

    # Pages

    def new_page(self) -> None:
        """Go on on a new page; its number is printed at the top centre, as from the second page on."""
        self.canvas.showPage()
        self.canvas.setLineWidth(RULE)
        self.page += 1
        self.y = self.top
        self.canvas.setFont(REGULAR, 13)
        self.canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - MARGIN_TOP / 2 - 4, str(self.page))

    def room(self) -> float:
        return self.y - self.bottom

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` fits below ``y`` (and unless it would fit on no page anyway
        and this page is still empty)."""
        if height > self.room() and self.y < self.top:
            self.new_page()

    def skip(self, height: float) -> None:
        """Leave ``height`` blank (not carried over to a new page)."""
        self.y = max(self.y - height, self.bottom)

    # Text

    def draw_lines(self, text: Block, x: float, top: float, width: float, lines=None) -> None:
        """Draw ``lines`` (all of ``text``'s by default) from ``top`` down, without breaking the page."""
        lines = text.lines if lines is None else lines
        baseline = top - (text.line_height - (ASCENT + DESCENT) * text.size) / 2 - ASCENT * text.size
        for index, (pieces, natural) in enumerate(lines):
            start = x
            if text.align == "center":
                start = x + (width - natural) / 2
            elif text.align == "right":
                start = x + width - natural
            out = self.canvas.beginText(start, baseline)
            if text.align == "justify" and index < len(lines) - 1:
                gaps = sum(t.count(" ") for t, _ in pieces)
                if gaps:
                    out.setWordSpace((width - natural) / gaps)
            font = None
            for piece, piece_font in pieces:
                if piece_font != font:
                    font = piece_font
                    out.setFont(font, text.size)
                out.textOut(piece)
            self.canvas.drawText(out)
            baseline -= text.line_height

    def paragraph(self, parts: Sequence[Run] | str, *, size: float = 13, align: str = "left", after=3.0):
        """A paragraph across the whole width, flowing onto the next page line by line when needed."""
        text = block(parts, self.width, size, align)
        lines = text.lines
        while lines:
            fit = max(int(self.room() // text.line_height), 0)
            if not fit:
                self.new_page()
                continue
            self.draw_lines(text, self.left, self.y, self.width, lines[:fit])
            self.y -= len(lines[:fit]) * text.line_height
            lines = lines[fit:]
        self.skip(after)

    def columns(self, stacks: Sequence[tuple[float, float, Sequence[Block | float]]]) -> list[float]:
        """Stacks side by side from ``y``, each ``(x, width, items)``, an item a block or a blank height:
        the header's agency and motto, the signatures. Kept on one page; ``y`` moves below the tallest.
        Returns the bottom of each block's last line, in the order given (for rules drawn under them)."""

        def height(item):
            return item.height if isinstance(item, Block) else item

        self.keep(max(sum(height(item) for item in items) for _, _, items in stacks))
        bottoms, lowest = [], self.y
        for x, width, items in stacks:
            top = self.y
            for item in items:
                if isinstance(item, Block):
                    self.draw_lines(item, x, top, width)
                    bottoms.append(top - item.height)
                top -= height(item)
            lowest = min(lowest, top)
        self.y = lowest
        return bottoms

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.canvas.line(x1, y1, x2, y2)

    # Tables

    def table(
        self,
        widths: Sequence[float],
        header: Sequence[Cell],
        rows: Iterable[Sequence[str]],
        *,
        size: float = 11.5,
        align: Sequence[str] = (),
        padding: tuple[float, float] = (2, 4),
    ) -> None:
        """A bordered table of ``widths`` (fractions of the line), its ``header`` repeated on each page.

        A row is kept on one page when it fits on one; a taller row is split between its lines.
        """
        pad_y, pad_x = padding
        xs = [self.left]
        for fraction in widths:
            xs.append(xs[-1] + fraction * self.width)

        def cell_block(text: str, first: int, last: int, style="regular", alignment="left") -> Block:
            return block([Run(text, style)], xs[last + 1] - xs[first] - 2 * pad_x, size, alignment)

        head = [(c, cell_block(c.text, c.column, c.column + c.columns - 1, "bold", "center")) for c in header]
        head_rows = max((c.row + c.rows for c in header), default=0)
        heights = [0.0] * head_rows
        for c, text in sorted(head, key=lambda item: item[0].rows):
            spanned = range(c.row, c.row + c.rows)
            missing = text.height + 2 * pad_y - sum(heights[r] for r in spanned)
            if missing > 0:
                heights[c.row + c.rows - 1] += missing
        head_height = sum(heights)

        def draw_header():
            top = self.y
            for c, text in head:
                cell_top = top - sum(heights[: c.row])
                cell_height = sum(heights[c.row : c.row + c.rows])
                x1, x2 = xs[c.column], xs[c.column + c.columns]
                self.canvas.rect(x1, cell_top - cell_height, x2 - x1, cell_height, stroke=1, fill=0)
                middle = cell_top - (cell_height - text.height) / 2
                self.draw_lines(text, x1 + pad_x, middle, x2 - x1 - 2 * pad_x)
            self.y -= head_height

        def draw_row(blocks: list[Block], parts: list[list[Line]]) -> None:
            height = max(len(p) * b.line_height for b, p in zip(blocks, parts, strict=True)) + 2 * pad_y
            for column, (text, lines) in enumerate(zip(blocks, parts, strict=True)):
                x1, x2 = xs[column], xs[column + 1]
                self.canvas.rect(x1, self.y - height, x2 - x1, height, stroke=1, fill=0)
                self.draw_lines(text, x1 + pad_x, self.y - pad_y, x2 - x1 - 2 * pad_x, lines)
            self.y -= height

        self.keep(head_height + size * LEADING + 2 * pad_y)
        draw_header()
        for row in rows:
            if len(row) == 1:  # one cell across the table ("nothing to list")
                blocks = [cell_block(row[0], 0, len(widths) - 1)]
                spans = [(0, len(widths) - 1)]
            else:
                blocks = [
                    cell_block(text, i, i, alignment=align[i] if i < len(align) else "left")
                    for i, text in enumerate(row)
                ]
                spans = [(i, i) for i in range(len(row))]
            remaining = [b.lines for b in blocks]
            while any(remaining):
                line_height = size * LEADING
                needed = max(len(r) for r in remaining) * line_height + 2 * pad_y
                if needed > self.room() and self.y < self.top - head_height:
                    fresh = self.top - self.bottom - head_height
                    if needed <= fresh or self.room() < line_height + 2 * pad_y:
                        self.new_page()
                        draw_header()
                        continue
                fit = max(int((self.room() - 2 * pad_y) // line_height), 1)
                if len(spans) == 1:
                    x1, x2 = xs[0], xs[-1]
                    lines = remaining[0][:fit]
                    height = len(lines) * line_height + 2 * pad_y
                    self.canvas.rect(x1, self.y - height, x2 - x1, height, stroke=1, fill=0)
                    self.draw_lines(blocks[0], x1 + pad_x, self.y - pad_y, x2 - x1 - 2 * pad_x, lines)
                    self.y -= height
                else:
                    draw_row(blocks, [r[:fit] for r in remaining])
                remaining = [r[fit:] for r in remaining]
                if any(remaining):
                    self.new_page()
                    draw_header()
        self.skip(8)

    # Images

    def qr(self, data: str, x: float, top: float, side: float, *, border: int = 4) -> None:
        """The QR code of ``data`` as filled squares (sharp at any zoom), ``side`` wide with its quiet zone
        of ``border`` modules, its top left corner at (x, top). Dark modules of a row are drawn as runs."""
        from .qr import make_qr

        symbol: segno.QRCode = make_qr(data)
        matrix = [list(row) for row in symbol.matrix_iter(border=0)]
        module = side / (len(matrix) + 2 * border)
        origin_x, origin_y = x + border * module, top - border * module
        path = self.canvas.beginPath()
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                bottom = origin_y - (r + 1) * module
                path.rect(origin_x + start * module, bottom, (c - start) * module, module)
        self.canvas.drawPath(path, stroke=0, fill=1)

    def pdf(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()
