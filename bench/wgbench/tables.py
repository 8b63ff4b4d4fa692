"""Number formats and the Markdown tables of the report."""
from __future__ import annotations

import math
from typing import Callable, Optional

from .measure import Outcome


def fmt_time(t: Optional[float]) -> str:
    if t is None:
        return ''
    if t >= 10:
        return f'{t:.1f} s'
    if t >= 1:
        return f'{t:.2f} s'
    return f'{t * 1000:.0f} ms' if t >= 0.1 else f'{t * 1000:.1f} ms'


def fmt_ratio(r: Optional[float]) -> str:
    return '' if r is None else f'{r:.2f}×'


def cell_text(o: Outcome) -> str:
    if o.ok:
        return fmt_time(o.wall)
    return o.status


def geomean(values: list) -> Optional[float]:
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def partial_geomean(values: list, total: int, fmt: Callable) -> str:
    """The geometric mean, saying over how many programs when some failed."""
    if not values:
        return ''
    return fmt(geomean(values)) + ('' if len(values) == total else f' (of {len(values)}/{total})')


def md_table(header: list, rows: list, align: Optional[list] = None) -> list:
    align = align or ['l'] + ['r'] * (len(header) - 1)
    sep = ['---:' if a == 'r' else '---' for a in align]
    out = ['| ' + ' | '.join(header) + ' |', '| ' + ' | '.join(sep) + ' |']
    out += ['| ' + ' | '.join(str(c) for c in row) + ' |' for row in rows]
    return out


def runtime_table(configs: list, results: dict, programs: list) -> list:
    """Run time: one column per configuration, then its ratio columns; a geomean row."""
    names = [c.name for c in configs]
    header = ['program']
    for c in configs:
        header.append(c.name)
        header += [f'{c.name} / {b}' for b in c.baselines if b in names]
    rows, ratios = [], {}
    for p in programs:
        cells = results[p.name]
        row = [p.name]
        for c in configs:
            o = cells[c.name]
            row.append(cell_text(o))
            for b in c.baselines:
                if b not in names:
                    continue
                base = cells[b]
                r = o.wall / base.wall if o.ok and base.ok and base.wall > 0 else None
                ratios.setdefault((c.name, b), []).append(r)
                row.append(fmt_ratio(r))
        rows.append(row)
    geo = ['**geometric mean**']
    for c in configs:
        walls = [results[p.name][c.name].wall for p in programs if results[p.name][c.name].ok]
        geo.append(partial_geomean(walls, len(programs), fmt_time))
        for b in c.baselines:
            if b in names:
                rs = [r for r in ratios.get((c.name, b), []) if r is not None]
                geo.append(partial_geomean(rs, len(programs), lambda g: f'**{fmt_ratio(g)}**'))
    rows.append(geo)
    return md_table(header, rows)


def per_config_table(configs: list, results: dict, programs: list, fmt: Callable) -> list:
    """One value per program and configuration (memory, CPU time), or the cell's status."""
    header = ['program'] + [c.name for c in configs]
    rows = []
    for p in programs:
        rows.append([p.name] + [fmt(results[p.name][c.name]) if results[p.name][c.name].ok
                                else results[p.name][c.name].status for c in configs])
    return md_table(header, rows)


# The memory checker's target: peak memory at most 2.2x the unchecked run's plus the
# quarantine (--freelist-vol, 20 MB by default).
MEMCHECK_MEMORY_FACTOR = 2.2
MEMCHECK_QUARANTINE_MIB = 20e6 / (1 << 20)


def memcheck_memory_table(results: dict, programs: list, checked: str, plain: str) -> list:
    """Peak memory of the checked run against the unchecked run's, with the target."""
    rows, ratios = [], []
    for p in programs:
        c, u = results[p.name][checked], results[p.name][plain]
        if not (c.ok and u.ok and u.max_rss_kib > 0):
            rows.append([p.name, u.status if not u.ok else '', c.status if not c.ok else '', '', '', ''])
            continue
        cm, um = c.max_rss_kib / 1024, u.max_rss_kib / 1024
        limit = MEMCHECK_MEMORY_FACTOR * um + MEMCHECK_QUARANTINE_MIB
        ratios.append(cm / um)
        rows.append([p.name, f'{um:.1f}', f'{cm:.1f}', fmt_ratio(cm / um), f'{limit:.1f}',
                     'yes' if cm <= limit else '**no**'])
    rows.append(['**geometric mean**', '', '', partial_geomean(ratios, len(programs), fmt_ratio), '', ''])
    return md_table(['program', f'{plain} (MiB)', f'{checked} (MiB)', f'{checked} / {plain}',
                     'limit (2.2× + 20 MB)', 'within'], rows)
