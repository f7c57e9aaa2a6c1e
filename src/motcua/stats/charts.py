"""Charts drawn on the server as SVG: readable without JavaScript, printable, a few hundred bytes on a phone.

Each chart is an ``<svg role="img">`` with its title and a one-line description; the page puts the same
numbers in a table beside it for screen readers and for copying. Colours come from CSS classes
(``chart-bar``, ``chart-axis`` …) so that the portal's stylesheet and print styles decide them.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT, BAR_GAP, LABEL_HEIGHT = 14, 10, 16
WIDTH = 320


def _number(value: float) -> str:
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _frame(width: int, height: int, title: str, description: str, body: list[str]) -> SafeString:
    svg = (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{''.join(body)}</svg>"
    )
    return mark_safe(svg)  # every text inside went through escape


def bars(
    items: list[tuple[str, float | None]],
    *,
    title: str,
    description: str = "",
    unit: str = "%",
    max_value: float | None = None,
) -> SafeString:
    """Horizontal bars, one per (label, value), the label above its bar (long Vietnamese names fit a 360 px
    screen); a value of None is drawn as "–" (nothing to count), never as a bar of zero."""
    known = [v for _, v in items if v is not None]
    top = max_value if max_value is not None else (max(known) if known else 0) or 1
    body, y = [], 0
    for label, value in items:
        y += LABEL_HEIGHT
        body.append(f'<text class="chart-label" x="0" y="{y - 4}">{escape(label)}</text>')
        if value is None:
            body.append(f'<text class="chart-value" x="0" y="{y + BAR_HEIGHT - 3}">–</text>')
        else:
            length = round(max(0.0, min(1.0, value / top)) * (WIDTH - 60), 1)
            body.append(
                f'<rect class="chart-bar" x="0" y="{y}" width="{length}" height="{BAR_HEIGHT}" rx="2"></rect>'
                f'<text class="chart-value" x="{length + 4}" y="{y + BAR_HEIGHT - 3}">'
                f"{escape(_number(value))}{escape(unit)}</text>"
            )
        y += BAR_HEIGHT + BAR_GAP
    return _frame(WIDTH, max(y, 1), title, description, body)


def columns(
    items: list[tuple[str, float | None]],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    max_value: float | None = None,
) -> SafeString:
    """Vertical columns over time (a month each), the label under each column; None leaves a gap."""
    height, base = 160, 130
    known = [v for _, v in items if v is not None]
    top = max_value if max_value is not None else (max(known) if known else 0) or 1
    step = WIDTH / max(len(items), 1)
    width = max(step * 0.6, 2)
    body = [f'<line class="chart-axis" x1="0" y1="{base}" x2="{WIDTH}" y2="{base}"></line>']
    for index, (label, value) in enumerate(items):
        x = round(index * step + (step - width) / 2, 1)
        centre = round(index * step + step / 2, 1)
        body.append(
            f'<text class="chart-label" x="{centre}" y="{base + 14}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
        if value is None:
            continue
        tall = round(max(0.0, min(1.0, value / top)) * (base - 20), 1)
        body.append(
            f'<rect class="chart-bar" x="{x}" y="{base - tall}" width="{round(width, 1)}" height="{tall}">'
            f"<title>{escape(label)}: {escape(_number(value))}{escape(unit)}</title></rect>"
        )
        if len(items) <= 12:
            body.append(
                f'<text class="chart-value" x="{centre}" y="{base - tall - 3}" text-anchor="middle">'
                f"{escape(_number(value))}</text>"
            )
    return _frame(WIDTH, height, title, description, body)
