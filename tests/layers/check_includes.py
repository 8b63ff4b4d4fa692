#!/usr/bin/env python3
"""Checks every project #include against the layers' allow-list (docs/ARCHITECTURE.md, Layers).

The compiler cannot stop a wrong include: there is one include root, src/, so any file can
name any header. This test can. Each directory below belongs to a layer; a file may include
headers of the layers its layer lists in ALLOWED, nothing else. Includes are resolved as the
compiler resolves them (a quoted name next to the including file first, then the include
roots), so "../jit/engine.h" or <vm/jit/engine.h> count as what they name. In src/vm,
src/signals and src/memcheck every project include must also be written as its path from
src/ ("vm/decode/module_decoder.h"), so the include line itself says which layer it crosses to.

Usage: check_includes.py [--root REPO]   exit 1 and one line per violation if any
       check_includes.py --self-test     plants violations in a scratch tree, expects each found
"""
import argparse
import os
import re
import sys
import tempfile

# Layer of a file: the first prefix (a directory, relative to the repository) that contains it.
# "src/vm/" alone means files directly in src/vm (core), not its subdirectories.
LAYERS = [
    ('src/vm/decode/', 'decode'),
    ('src/vm/debug/', 'debug'),
    ('src/vm/jit/', 'jit'),
    ('src/vm/runtime/', 'runtime'),
    ('src/vm/', 'core'),
    ('src/signals/', 'signals'),
    ('src/memcheck/', 'memcheck'),
    ('src/wasi/', 'wasi'),
    ('tools/wasmgrind/', 'tool'),
    ('tests/unit/common/', 'tests/common'),
    ('tests/unit/core/', 'tests/core'),
    ('tests/unit/decode/', 'tests/decode'),
    ('tests/unit/debug/', 'tests/debug'),
    ('tests/unit/jit/', 'tests/jit'),
    ('tests/unit/runtime/', 'tests/runtime'),
    ('tests/unit/codegen/', 'tests/codegen'),
    ('tests/unit/signals/', 'tests/signals'),
    ('tests/unit/wasi/', 'tests/wasi'),
    ('tests/unit/memcheck/', 'tests/memcheck'),
    ('tests/unit/tool/', 'tests/tool'),
    ('tests/faults/', 'tests/faults'),
    ('tests/fuzz/', 'tests/fuzz'),
    # The public headers programs include (wasmgrind/memcheck.h); core reads their tables.
    ('include/wasmgrind/', 'public'),
]

# What each layer may include (core <- decode <- debug; jit; runtime. signals and memcheck
# include no vm internals). A layer's unit tests may include what it may, and tests/unit/common.
VM = {'core', 'decode', 'debug', 'jit', 'runtime', 'signals'}
ALLOWED = {
    'core': {'core', 'public'},
    'public': {'public'},
    'decode': {'core', 'decode'},
    'debug': {'core', 'decode', 'debug'},
    'jit': {'core', 'decode', 'jit', 'signals'},
    'runtime': {'core', 'decode', 'debug', 'jit', 'runtime', 'signals', 'memcheck'},
    'signals': {'signals'},
    'memcheck': {'memcheck'},
    'wasi': VM | {'wasi'},
    'tool': VM | {'memcheck', 'wasi', 'tool'},
}
for _layer in list(ALLOWED):
    ALLOWED['tests/' + _layer] = ALLOWED[_layer] | {'tests/' + _layer, 'tests/common'}
# Shared fixtures: core's vocabulary, and the front end's verdict on a module (rich_module.h,
# for the decode and runtime tests; core_tests, which link core only, would fail to link one).
ALLOWED['tests/common'] = {'core', 'decode', 'tests/common'}
# The code generator's output, run through the embedding API.
ALLOWED['tests/codegen'] = ALLOWED['tests/runtime'] | {'tests/codegen'}
ALLOWED['tests/faults'] = ALLOWED['tests/tool'] | {'tests/faults'}
ALLOWED['tests/fuzz'] = VM | {'tests/fuzz'}

# Include roots the build uses (src/ for the engine, include/ for the public headers; the
# tool's, wasi's and the unit tests' own directories for their files).
INCLUDE_ROOTS = ['src', 'src/wasi', 'tools/wasmgrind', 'tests/unit', 'include']
# Directories whose project includes must be written as their path from src/.
BY_PATH_FROM_SRC = ('src/vm/', 'src/signals/', 'src/memcheck/')
SOURCE_SUFFIXES = ('.h', '.cc', '.def')
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(rel):
    for prefix, layer in LAYERS:
        if rel.startswith(prefix):
            if prefix == 'src/vm/' and '/' in rel[len(prefix):]:
                continue  # a src/vm subdirectory no entry above names: no layer
            return layer
    return None


def resolve(root, rel_file, delim, name):
    """The repository-relative path the include names, or None if it names no project file."""
    candidates = []
    if delim == '"':
        candidates.append(os.path.join(os.path.dirname(rel_file), name))
    candidates += [os.path.join(r, name) for r in INCLUDE_ROOTS]
    for c in candidates:
        c = os.path.normpath(c)
        if not c.startswith('..') and os.path.isfile(os.path.join(root, c)):
            return c
    return None


def check(root):
    """One message per violation in the tree at `root`."""
    problems = []
    for top in ('src', 'tools', 'tests/unit', 'tests/faults', 'tests/fuzz', 'include'):
        for d, _, files in sorted(os.walk(os.path.join(root, top))):
            for f in sorted(files):
                if not f.endswith(SOURCE_SUFFIXES):
                    continue
                rel = os.path.relpath(os.path.join(d, f), root)
                layer = layer_of(rel)
                if layer is None:
                    problems.append(f'{rel}: in no layer (add its directory to LAYERS)')
                    continue
                with open(os.path.join(root, rel), encoding='utf-8', errors='replace') as fh:
                    lines = fh.read().split('\n')
                for number, line in enumerate(lines, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    delim, name = m.groups()
                    where = f'{rel}:{number}: #include {delim}{name}{">" if delim == "<" else delim}'
                    target = resolve(root, rel, delim, name)
                    if target is None:
                        if delim == '"':
                            problems.append(f'{where}: names no file of the project (system and '
                                            'third-party headers take <>)')
                        continue
                    target_layer = layer_of(target)
                    if target_layer not in ALLOWED.get(layer, set()):
                        problems.append(f'{where}: layer {layer} may not include {target} '
                                        f'(layer {target_layer}); it may include '
                                        f'{", ".join(sorted(ALLOWED.get(layer, set())))}')
                    if rel.startswith(BY_PATH_FROM_SRC) and target.startswith('src/'):
                        wanted = os.path.relpath(target, 'src')
                        if name != wanted:
                            problems.append(f'{where}: write it as "{wanted}", its path from src/')
    return problems


def self_test():
    """Plants each kind of violation in a scratch tree and checks that each one is reported,
    and that the clean files are not."""
    files = {
        'src/vm/result.h': '#pragma once\n',
        'src/vm/decode/reader.h': '#include "vm/result.h"\n',
        'src/vm/jit/engine.h': '#include "vm/decode/reader.h"\n#include "signals/registry.h"\n',
        'src/signals/registry.h': '#include <vector>\n',
        'tests/unit/jit/engine_test.cc': '#include "vm/jit/engine.h"\n#include "common/builder.h"\n',
        'tests/unit/common/builder.h': '#include "vm/result.h"\n',
        'src/memcheck/shadow.h': '#include <cstdint>\n',
        'src/vm/runtime/checker.cc': '#include "memcheck/shadow.h"\n#include "vm/jit/engine.h"\n',
        # Planted violations, one per line, each with the text its message must contain.
        'src/vm/decode/bad_layer.cc': '#include "vm/jit/engine.h"\n',
        'src/vm/decode/bad_relative.cc': '#include "../jit/engine.h"\n',
        'src/vm/decode/bad_angle.cc': '#include <vm/jit/engine.h>\n',
        'src/vm/decode/bad_bare.cc': '#include "reader.h"\n',
        'src/vm/result_user.cc': '#include "signals/registry.h"\n',
        'src/signals/bad.cc': '#include "vm/result.h"\n',
        'src/memcheck/bad.cc': '#include "vm/result.h"\n',
        'src/vm/memcheck_user.h': '#include "memcheck/shadow.h"\n',
        'src/vm/jit/memcheck_user.cc': '#include "memcheck/shadow.h"\n',
        'src/vm/decode/bad_missing.cc': '#include "nowhere.h"\n',
        'tests/unit/decode/bad_test.cc': '#include "vm/jit/engine.h"\n',
        'tests/unit/unlisted/x_test.cc': '#include <vector>\n',
    }
    expected = {
        'src/vm/decode/bad_layer.cc:1': 'layer decode may not include src/vm/jit/engine.h',
        'src/vm/decode/bad_relative.cc:1': 'layer decode may not include src/vm/jit/engine.h',
        'src/vm/decode/bad_angle.cc:1': 'layer decode may not include src/vm/jit/engine.h',
        'src/vm/decode/bad_bare.cc:1': 'write it as "vm/decode/reader.h"',
        'src/vm/result_user.cc:1': 'layer core may not include src/signals/registry.h',
        'src/signals/bad.cc:1': 'layer signals may not include src/vm/result.h',
        'src/memcheck/bad.cc:1': 'layer memcheck may not include src/vm/result.h',
        'src/vm/memcheck_user.h:1': 'layer core may not include src/memcheck/shadow.h',
        'src/vm/jit/memcheck_user.cc:1': 'layer jit may not include src/memcheck/shadow.h',
        'src/vm/decode/bad_missing.cc:1': 'names no file of the project',
        'tests/unit/decode/bad_test.cc:1': 'layer tests/decode may not include src/vm/jit/engine.h',
        'tests/unit/unlisted/x_test.cc': 'in no layer',
    }
    with tempfile.TemporaryDirectory() as root:
        for rel, text in files.items():
            os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(root, rel), 'w') as fh:
                fh.write(text)
        problems = check(root)
    failures = []
    for site, text in expected.items():
        if not any(p.startswith(site + ':') and text in p for p in problems):
            failures.append(f'not reported: {site}: {text}')
    for p in problems:
        if not any(p.startswith(site + ':') for site in expected):
            failures.append(f'reported a clean include: {p}')
    for f in failures:
        print('self-test: ' + f)
    if not failures:
        print(f'self-test: all {len(expected)} planted violations found, no false reports')
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--root', default=os.path.join(os.path.dirname(__file__), '..', '..'))
    parser.add_argument('--self-test', action='store_true')
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    problems = check(os.path.abspath(args.root))
    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} include(s) break the layer rules (docs/ARCHITECTURE.md, Layers)')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
