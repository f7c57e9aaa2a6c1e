#!/usr/bin/env python
"""What checking an uploaded image costs: CPU seconds, peak memory per worker, wall time, under concurrency.

Generates small files of large dimensions (a flat PNG compresses a 60-megapixel picture into a few hundred
KB: the issue's 233 KB PNG of 7,745 x 7,745 pixels) and runs ``motcua.core.filetypes.check_file`` on them
in ``--workers`` processes at once, each a fresh Python process (as a gunicorn worker is), for:

- ``old code and cap``: the 7,745 x 7,745 RGBA PNG, with the cap at 60 MP and the second copy of the
  pixels the code made before (the baseline: it is accepted and fully decoded, twice over);
- ``old cap today``: the same image with today's code (one copy) but the old cap;
- ``under budget``: an RGBA PNG and a progressive JPEG (4:4:4, whose pixels count 2.5 times) just under
  today's ``MAX_IMAGE_PIXELS`` (accepted: the worst an upload can now cost);
- ``over budget``: the 7,745 x 7,745 PNG with today's budget (refused from its header, nothing decoded);
- ``header bomb``: 92 bytes of PNG header claiming 100,000 x 100,000 pixels (refused from its header).

Per case it prints the CPU seconds of one check (mean over the workers), the peak RSS of a worker (and
what the check added to it), and the wall time of the batch (from the moment all start their check, once
Django is set up); the sum of peaks is what the server must hold when that many uploads arrive together.

    .venv/bin/python bench/uploads.py [--workers 4]
"""

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
OLD_CAP = 60_000_000


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()


def memory_mb(field: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (the peak) of this process, in MB. Not ``getrusage``: on Linux its
    ``ru_maxrss`` carries the parent's peak over fork and exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def worker(path: str, cap: int, old: bool) -> None:
    """One check in this fresh process; prints one JSON line. ``old``: as the code was before the budget,
    whose ``exif_transpose`` made a second full copy of the pixels."""
    _django()
    from motcua.core import filetypes

    filetypes.MAX_IMAGE_PIXELS = cap
    if old:
        transpose = filetypes.ImageOps.exif_transpose

        def copying(image, in_place=False):
            return transpose(image, in_place=False)

        filetypes.ImageOps.exif_transpose = copying
    content = Path(path).read_bytes()
    before = memory_mb("VmRSS")
    print("ready", flush=True)
    sys.stdin.readline()  # every worker starts its check at the same moment
    started, cpu = time.time(), time.process_time()
    try:
        filetypes.check_file(content)
        outcome = "accepted"
    except filetypes.RejectedFile:
        outcome = "refused"
    cpu, ended = time.process_time() - cpu, time.time()
    peak = memory_mb("VmHWM")
    facts = {"cpu": cpu, "peak": peak, "before": before, "outcome": outcome, "start": started, "end": ended}
    print(json.dumps(facts))


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def header_bomb(width: int, height: int) -> bytes:
    """A PNG header claiming ``width`` x ``height`` RGB pixels, with a few bytes of image data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 64)
    chunks = png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def make_images(folder: Path, budget: int) -> dict[str, Path]:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None
    files = {}
    side = 7745
    big = Image.new("RGBA", (side, side), (200, 210, 220, 255))
    files["big_png"] = folder / "big.png"
    big.save(files["big_png"], "PNG")
    del big
    width = int(budget**0.5) - 1
    under = Image.new("RGBA", (width, width), (200, 210, 220, 255))
    files["under_png"] = folder / "under.png"
    under.save(files["under_png"], "PNG")
    del under
    # A progressive JPEG at 4:4:4 counts 2.5 times its pixels (filetypes.decoding_cost).
    width = int((budget / 2.5) ** 0.5) - 1
    under = Image.new("RGB", (width, width), (200, 210, 220))
    files["under_jpeg"] = folder / "under.jpg"
    under.save(files["under_jpeg"], "JPEG", progressive=True, subsampling=0, quality=95)
    del under
    files["bomb"] = folder / "bomb.png"
    files["bomb"].write_bytes(header_bomb(100_000, 100_000))
    return files


def run_batch(path: Path, cap: int, workers: int, old: bool = False) -> dict:
    argv = [sys.executable, __file__, "--worker", str(path), str(cap), "old" if old else "new"]
    processes = [
        subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(workers)
    ]
    for process in processes:  # Django set up in each: the wall time counts the checks only
        if process.stdout.readline().strip() != "ready":
            raise SystemExit(f"a worker did not start on {path.name}")
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"a worker failed on {path.name} (exit code {process.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    wall = max(r["end"] for r in results) - min(r["start"] for r in results)
    return {
        "wall": wall,
        "cpu": sum(r["cpu"] for r in results) / workers,
        "peak": max(r["peak"] for r in results),
        "added": max(r["peak"] - r["before"] for r in results),
        "outcome": "/".join(sorted({r["outcome"] for r in results})),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="checks running at once (processes)")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), args.worker[2] == "old")
        return
    _django()
    from motcua.core.filetypes import MAX_IMAGE_PIXELS

    with tempfile.TemporaryDirectory() as tmp:
        files = make_images(Path(tmp), MAX_IMAGE_PIXELS)
        cases = [
            ("old code and cap (60 MP), 7745x7745 PNG", files["big_png"], OLD_CAP, True),
            ("old cap (60 MP) today, 7745x7745 PNG", files["big_png"], OLD_CAP),
            (f"budget ({MAX_IMAGE_PIXELS / 1e6:g} MP), 7745x7745 PNG", files["big_png"], MAX_IMAGE_PIXELS),
            ("budget, PNG just under it", files["under_png"], MAX_IMAGE_PIXELS),
            ("budget, progressive JPEG just under", files["under_jpeg"], MAX_IMAGE_PIXELS),
            ("budget, header claiming 10^10 px", files["bomb"], MAX_IMAGE_PIXELS),
        ]
        print(f"{args.workers} checks at once, one fresh process each")
        print(
            f"{'case':42} {'file':>9} {'outcome':>9} {'CPU s':>6} {'peak MB':>8} {'added':>6} {'sum':>6} "
            f"{'wall s':>7}"
        )
        for label, path, cap, *old in cases:
            r = run_batch(path, cap, args.workers, bool(old))
            size = path.stat().st_size
            size = f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} B"
            print(
                f"{label:42} {size:>9} {r['outcome']:>9} {r['cpu']:6.2f} {r['peak']:8.0f} {r['added']:6.0f} "
                f"{r['peak'] * args.workers:6.0f} {r['wall']:7.2f}"
            )
        print(
            "peak: the largest RSS of a worker; added: what the check added to it; sum: peak x workers "
            "(what the server holds); CPU: one check, mean over the workers"
        )


if __name__ == "__main__":
    main()
