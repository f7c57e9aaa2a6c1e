"""The one error of backup and restore: what went wrong, in words an operator can act on."""


class BackupError(Exception):
    """A backup or a restore that cannot go on; ``problems`` lists the details (one line each)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])

    def __str__(self) -> str:
        lines = [self.args[0], *(f"  - {problem}" for problem in self.problems[:50])]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        return "\n".join(lines)
