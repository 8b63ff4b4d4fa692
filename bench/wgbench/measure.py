"""Running a command under the bench/measure.c launcher (wall time, peak RSS, CPU time, exit
status) and checking its output over several runs."""
from __future__ import annotations

import dataclasses
import math
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from .util import first_lines


@dataclasses.dataclass
class Sample:
    wall: float      # seconds, process start to exit
    max_rss_kib: int
    status: int      # exit status, or -signal
    stdout: str
    stderr: str
    timed_out: bool = False
    cpu: float = 0.0  # user + system seconds


LAUNCHER: Optional[Path] = None  # the bench/measure.c launcher, built first (use_launcher)


def use_launcher(path: Path) -> None:
    global LAUNCHER
    LAUNCHER = path


def run_once(argv: list, timeout: float) -> Sample:
    """Runs argv to completion under the measure launcher (wall time, peak RSS, status)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode='r', prefix='measure-') as result:
        try:
            status = subprocess.call([str(LAUNCHER), result.name, str(math.ceil(timeout)), *argv],
                                     stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        except OSError as e:
            return Sample(0.0, 0, 127, '', f'cannot start {LAUNCHER}: {e}')
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors='replace'), err.read().decode(errors='replace')
        fields = result.read().split()
        if status != 0 or len(fields) != 6:
            return Sample(0.0, 0, 127, stdout, f'measure failed (exit {status}): {stderr}')
        return Sample(float(fields[0]), int(fields[1]), int(fields[2]), stdout, stderr, fields[3] == '1',
                      float(fields[4]) + float(fields[5]))


def failure_text(s: Sample) -> str:
    if s.timed_out:
        return 'timeout'
    if s.status < 0:
        return f'killed by signal {-s.status}'
    return f'exit {s.status}'


@dataclasses.dataclass
class Outcome:
    """One cell: a program under a configuration, over all its runs."""
    status: str                 # ok, wrong output, failed, unavailable, no reference, build failed
    detail: str = ''
    wall: Optional[float] = None
    max_rss_kib: Optional[int] = None
    cpu: Optional[float] = None  # median user + system CPU seconds
    walls: list = dataclasses.field(default_factory=list)
    output: str = ''

    @property
    def ok(self) -> bool:
        return self.status == 'ok'


def measure(argv: list, runs: int, timeout: float, expected: Optional[str]) -> Outcome:
    """Runs argv `runs` times; every run must exit 0 and print exactly `expected` (if None, what
    the first run printed: the reference runs must agree with each other too)."""
    samples = []
    for _ in range(runs):
        s = run_once(argv, timeout)
        if s.timed_out or s.status != 0:
            return Outcome('failed', f'{failure_text(s)}: {first_lines(s.stderr) or "(no stderr)"}',
                           output=s.stdout)
        if expected is not None and s.stdout.strip() != expected:
            return Outcome('wrong output', f'printed {first_lines(s.stdout, 2)!r}, expected {expected!r}',
                           output=s.stdout)
        samples.append(s)
        expected = s.stdout.strip() if expected is None else expected
    return Outcome('ok', wall=statistics.median(s.wall for s in samples),
                   max_rss_kib=int(statistics.median(s.max_rss_kib for s in samples)),
                   cpu=statistics.median(s.cpu for s in samples),
                   walls=[s.wall for s in samples], output=samples[0].stdout.strip())

