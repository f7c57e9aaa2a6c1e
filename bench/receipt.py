#!/usr/bin/env python
"""What a receipt (form 01) costs: CPU milliseconds per receipt, against a WeasyPrint slip of its dossier.

Every sent dossier gets a receipt, drawn in the task that e-mails it, so its cost bounds the sustained rate
of submissions (bench/submit.py). This builds a temporary SQLite database (production settings, every
folder in a temporary one), makes the dossier of the papers' tests (two required papers, three files) and,
after a warm-up, measures with ``time.process_time`` (CPU of this process: honest on a busy machine):

- ``draw``: ``receipt_pdf.render(receipt_context(dossier))``, the context's queries included;
- ``issue``: ``receipt(dossier)`` as the e-mail task calls it: drawn, hashed, stored and recorded (each
  time after a ``reissue``, not counted, so that there is none stored yet);
- ``baseline``: the process control sheet (form 06) of the same dossier, still laid out by WeasyPrint from
  its template, as the receipt was before (~130 ms then).

    .venv/bin/python bench/receipt.py [--receipts 200] [--baseline 40]
"""

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, production_environment

sys.path.insert(0, str(ROOT / "src"))

TARGET_MS = 20


def cpu_ms(action, times: int, prepare=None) -> tuple[float, float]:
    """Mean and median CPU milliseconds of ``action()`` over ``times`` calls (``prepare()`` before each, not
    counted)."""
    spent = []
    for _ in range(times):
        if prepare is not None:
            prepare()
        started = time.process_time()
        action()
        spent.append((time.process_time() - started) * 1000)
    return statistics.mean(spent), statistics.median(spent)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--receipts", type=int, default=200, help="receipts drawn and issued (each)")
    parser.add_argument("--baseline", type=int, default=40, help="WeasyPrint slips rendered")
    parser.add_argument("--warm-up", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="motcua-receipt-") as folder:
        import os

        env = production_environment(Path(folder))
        env.pop("DATABASE_URL", None)  # always its own SQLite file: the figures are about drawing
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        with contextlib.redirect_stdout(io.StringIO()):
            call_command("migrate", verbosity=0)
        from motcua.dossiers.papers import receipt as receipt_paper
        from motcua.dossiers.papers import receipt_pdf
        from motcua.dossiers.papers.slips import render_slip
        from motcua.dossiers.tests.paper_fixtures import build_online_dossier

        dossier = build_online_dossier()

        def draw():
            return receipt_pdf.render(receipt_paper.receipt_context(dossier))

        def issue():
            return receipt_paper.receipt(dossier)

        def forget():
            receipt_paper.reissue(dossier)

        def baseline():
            return render_slip(dossier, "control_sheet")

        for action in (draw, forget, issue, baseline):
            for _ in range(args.warm_up):
                action()
        size = len(draw())
        figures = {
            "draw": cpu_ms(draw, args.receipts),
            "issue": cpu_ms(issue, args.receipts, prepare=forget),
            "baseline": cpu_ms(baseline, args.baseline),
        }
    print(f"receipt (form 01), {size / 1024:.0f} KB, reportlab on a canvas:")
    print(
        f"  draw   (context + PDF), {args.receipts}: mean {figures['draw'][0]:.1f} ms CPU, "
        f"median {figures['draw'][1]:.1f}"
    )
    print(
        f"  issue  (+ hash, store, record), {args.receipts}: mean {figures['issue'][0]:.1f} ms CPU, "
        f"median {figures['issue'][1]:.1f}"
    )
    print(
        f"baseline: control sheet (form 06), WeasyPrint, {args.baseline}: mean {figures['baseline'][0]:.1f} "
        f"ms CPU, median {figures['baseline'][1]:.1f}"
    )
    ratio = figures["baseline"][0] / figures["draw"][0]
    met = figures["issue"][0] < TARGET_MS
    print(
        f"the receipt costs 1/{ratio:.0f} of a WeasyPrint slip; target under {TARGET_MS} ms: "
        f"{'PASS' if met else 'FAIL'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
