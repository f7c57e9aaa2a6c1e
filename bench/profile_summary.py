#!/usr/bin/env python
"""The top of a py-spy profile in collapsed-stack form (``py-spy record --format raw``): the functions where
the samples were taken (self) and those on the stack (inclusive), as shares of all samples.

    .venv/bin/python bench/profile_summary.py FILE [--top 30] [--match motcua]
"""

import argparse
import re
from collections import Counter


def frames(stack: str) -> list[str]:
    """``function (file:line)`` frames, outermost first, without line numbers (one entry per function)."""
    return [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--match", default="", help="only functions whose frame contains this text")
    args = parser.parse_args()
    own, inclusive, total = Counter(), Counter(), 0
    with open(args.file, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack or not count.isdigit():
                continue
            samples = int(count)
            total += samples
            path = [f for f in frames(stack) if "process " not in f and not f.startswith("thread ")]
            if path:
                own[path[-1]] += samples
            for frame in set(path):
                inclusive[frame] += samples
    print(f"{total} samples")
    for title, counter in (("self", own), ("inclusive", inclusive)):
        print(f"\n{title}:")
        shown = 0
        for frame, samples in counter.most_common():
            if args.match and args.match not in frame:
                continue
            print(f"{samples / total:7.1%}  {frame}")
            shown += 1
            if shown == args.top:
                break


if __name__ == "__main__":
    main()
