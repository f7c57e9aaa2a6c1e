from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.audit import selectors


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain: recompute every entry's hash in order and report the first "
        "changed entry, deleted entry, or deleted end of the log; with --anchors, also that the log still "
        "holds the heads written down by `audit_anchor`. Exits with status 1 when the chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=selectors.BATCH_SIZE,
            help="Entries read per query (default %(default)s).",
        )
        parser.add_argument(
            "--anchors",
            type=Path,
            help="A file of anchors, one JSON line each as `audit_anchor` prints them (# starts a comment).",
        )

    def handle(self, *args, batch_size, anchors, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        result = selectors.verify_chain(
            batch_size=batch_size, anchors=read_anchors(anchors) if anchors else ()
        )
        if not result.ok:
            raise CommandError(result.message, returncode=1)
        self.stdout.write(self.style.SUCCESS(result.message))


def read_anchors(path: Path) -> list[selectors.Anchor]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CommandError(f"Cannot read the anchors file {path}: {exc.strerror or exc}.") from None
    anchors = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            anchors.append(selectors.Anchor.parse(line))
        except ValueError as exc:
            raise CommandError(f"{path}, line {number}: {exc}.") from None
    return anchors
