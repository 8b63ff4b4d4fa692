#!/usr/bin/env python3
"""Shrinks a module on which wasmgrind disagrees with wasm-interp to a small reproducer.

    reduce.py --wasmgrind PATH IN.wat [-o OUT.wat] [--export NAME] [--max-seconds 600]

The module is read as S-expressions; candidates delete a node, replace it by one of its children,
or by a constant, and are kept when the module still assembles and wasmgrind still disagrees with
wasm-interp on the export in the same way (same mismatch kind, see difffuzz.classify). Greedy, to
a fixed point or the time limit. Node is not consulted: wasm-interp is the reference here.
"""
import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import difffuzz  # noqa: E402

CONSTS = ["(i32.const 0)", "(i64.const 0)", "(f32.const 0)", "(f64.const 0)", "(i32.const 1)"]


def tokenize(text):
    tokens, i = [], 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append(c)
            i += 1
        elif c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            tokens.append(text[i:j + 1])
            i = j + 1
        elif text.startswith(";;", i):
            i = text.index("\n", i) if "\n" in text[i:] else len(text)
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in '()"':
                j += 1
            tokens.append(text[i:j])
            i = j
    return tokens


def parse(tokens):
    stack = [[]]
    for t in tokens:
        if t == "(":
            stack.append([])
        elif t == ")":
            node = stack.pop()
            stack[-1].append(node)
        else:
            stack[-1].append(t)
    return stack[0][0]


def show(node, indent=0):
    if isinstance(node, str):
        return node
    inner = " ".join(show(n) for n in node)
    if indent == 0 and node and node[0] == "module":
        return "(module\n" + "\n".join("  " + show(n, 1) for n in node[1:]) + ")\n"
    return f"({inner})"


def paths(node, prefix=()):
    """Every list node's path, parents before children."""
    for i, child in enumerate(node):
        if isinstance(child, list):
            yield prefix + (i,)
            yield from paths(child, prefix + (i,))


def get(node, path):
    for i in path:
        node = node[i]
    return node


def replaced(tree, path, new):
    """A copy of tree with the node at path replaced by `new` (None: deleted)."""
    if not path:
        return new
    head = list(tree)
    if len(path) == 1:
        if new is None:
            del head[path[0]]
        else:
            head[path[0]] = new
        return head
    head[path[0]] = replaced(tree[path[0]], path[1:], new)
    return head


class Oracle:
    def __init__(self, wasmgrind, export, work):
        self.wasmgrind, self.export, self.work = wasmgrind, export, work
        self.tests = 0

    def outcome(self, text):
        """(kind of mismatch, wasmgrind's, wasm-interp's) on the export, or None if it agrees or fails."""
        self.tests += 1
        wat, wasm = os.path.join(self.work, "c.wat"), os.path.join(self.work, "c.wasm")
        with open(wat, "w") as f:
            f.write(text)
        rc, _, _ = difffuzz.run(["wat2wasm", wat, "-o", wasm], timeout=20)
        if rc != 0:
            return None
        types = difffuzz.export_types(text).get(self.export)
        if types is None:
            return None
        interp = difffuzz.run_interp(wasm, {self.export: types})[self.export]
        if interp[0] == "error":
            return None
        grind = difffuzz.run_wasmgrind(self.wasmgrind, wasm, self.export, types)
        if difffuzz.outcomes_agree(types, grind, interp):
            return None
        return difffuzz.classify(grind, interp), difffuzz.describe(grind), difffuzz.describe(interp)


def first_disagreeing_export(oracle, text):
    for name in difffuzz.export_types(text):
        oracle.export = name
        found = oracle.outcome(text)
        if found:
            return name, found
    return None, None


def reduce(tree, oracle, kind, deadline):
    changed = True
    while changed and time.time() < deadline:
        changed = False
        for path in list(paths(tree)):
            if time.time() >= deadline:
                break
            try:
                node = get(tree, path)
            except (IndexError, TypeError):
                continue  # the tree changed under this path
            if not isinstance(node, list) or (len(path) == 1 and node and node[0] == "memory"):
                continue
            candidates = [None] + [c for c in node[1:] if isinstance(c, list)]
            if node and isinstance(node[0], str) and "." in node[0]:
                candidates += CONSTS
            for new in candidates:
                if isinstance(new, str):
                    new = parse(tokenize(new))
                candidate = replaced(tree, path, new)
                result = oracle.outcome(show(candidate))
                if result and result[0] == kind:
                    tree, changed = candidate, True
                    break
    return tree


def main():
    ap = argparse.ArgumentParser(description="Shrink a module on which wasmgrind disagrees with wasm-interp.")
    ap.add_argument("--wasmgrind", required=True)
    ap.add_argument("input")
    ap.add_argument("-o", "--output", default="reduced.wat")
    ap.add_argument("--export", help="the export to keep disagreeing on (default: the first that does)")
    ap.add_argument("--max-seconds", type=float, default=600)
    args = ap.parse_args()
    text = open(args.input).read()
    with tempfile.TemporaryDirectory(prefix="reduce-") as work:
        oracle = Oracle(args.wasmgrind, args.export, work)
        if args.export:
            found = oracle.outcome(text)
        else:
            oracle.export, found = first_disagreeing_export(oracle, text)
        if not found:
            print("reduce: wasmgrind agrees with wasm-interp on this module (nothing to reduce)")
            return 1
        kind = found[0]
        print(f"reduce: export {oracle.export}: {kind}: wasmgrind {found[1]}; wasm-interp {found[2]}")
        tree = reduce(parse(tokenize(text)), oracle, kind, time.time() + args.max_seconds)
        result = show(tree)
        with open(args.output, "w") as f:
            f.write(result)
        final = oracle.outcome(result)
        print(f"reduce: {len(text)} -> {len(result)} bytes after {oracle.tests} tests, in {args.output}")
        print(f"reduce: export {oracle.export}: {final[0]}: wasmgrind {final[1]}; wasm-interp {final[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
