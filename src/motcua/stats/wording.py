"""How statistics read on a page: numbers as Vietnamese write them (5.808 hồ sơ, 96,4%), whatever the page's
language, as amounts of money are (``core.money``) and the charts' labels (``stats.charts``); and the
one-sentence summary of a period ("Năm 2026: tiếp nhận 5.808 hồ sơ, đã giải quyết 5.601 hồ sơ, …")."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def number(value, decimals: int = 0) -> str:
    """``value`` with dots between thousands and a comma before decimals; trailing zeros of the decimals
    left out (96,4 and 100, never 100,0). ``None`` (nothing to count) is an empty string, never 0."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(rate, decimals: int = 1) -> str:
    """A rate from 0 to 1 as a percentage: 0.9641 -> "96,4%"; ``None`` -> ""."""
    if rate is None:
        return ""
    return number(rate * 100, decimals) + "%"


def cell(value, kind: str) -> str:
    """A cell of a ``stats.tables.Table`` as a page shows it, by its column's kind; a figure with nothing
    to count (``None``) reads "No data", never 0."""
    if kind == "text":
        return "" if value is None else str(value)
    if value is None:
        return _("No data")
    if kind == "rate":
        return number(value, 1) + "%"
    if kind == "points":
        return number(value, 2)
    if kind == "score":
        return number(value, 1)
    return number(value)


def sentence(report) -> str:
    """The period's work in one sentence, as the province reports it: received, resolved, waiting for a
    supplement (only when known: the period is not over) and the share resolved on time (when any was)."""
    figures = report.figures
    received, resolved = figures.get("received") or 0, figures.get("resolved") or 0
    parts = [
        ngettext("received %(count)s dossier", "received %(count)s dossiers", received)
        % {"count": number(received)},
        ngettext("resolved %(count)s dossier", "resolved %(count)s dossiers", resolved)
        % {"count": number(resolved)},
    ]
    waiting = figures.get("awaiting_supplement")
    if waiting is not None:
        parts.append(
            ngettext(
                "%(count)s dossier awaiting a supplement", "%(count)s dossiers awaiting a supplement", waiting
            )
            % {"count": number(waiting)}
        )
    rate = report.indicator("resolved_in_time")["rate"]
    if rate is not None:
        parts.append(_("%(rate)s on time") % {"rate": percent(rate)})
    return _("%(period)s: %(facts)s.") % {"period": report.period.label, "facts": ", ".join(parts)}
