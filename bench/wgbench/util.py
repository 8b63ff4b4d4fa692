"""Small helpers every part of the runner uses."""
from __future__ import annotations

import subprocess
import sys


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def first_lines(text: str, n: int = 3) -> str:
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return ' / '.join(lines[:n])[:300]


def capture(argv: list, timeout: float = 60) -> str:
    """stdout of a short informational command, or '' if it fails."""
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        return r.stdout.strip() if r.returncode == 0 else ''
    except (OSError, subprocess.SubprocessError):
        return ''
