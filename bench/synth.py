#!/usr/bin/env python3
# Synthetic specs for bench/run's `scale` group, written the same way every time: the
# invites spec replicated into N operations (`ops`), a chain of N schemas each `$ref`ing
# the next (`refs`), and N schemas whose names all sanitize to one Rust name (`collide`).
#
#   python3 bench/synth.py ops 400 spec/openapi.yaml OUT.yaml
#   python3 bench/synth.py refs 2000 OUT.yaml
#   python3 bench/synth.py collide 1000 OUT.yaml
#
# Standard library only, so the specs are built by editing the invites spec's text (its
# layout is known: `paths:` and `components:` blocks, schemas at four spaces) instead of
# parsing YAML.
import re
import sys
from pathlib import Path

HEADER = """openapi: 3.0.3
info:
  title: {title}
  version: 1.0.0
  x-rust-client:
    crate-name: {crate}
paths:
  /scale:
    get:
      operationId: get-scale
      responses:
        '200':
          description: The first schema, so every one is reachable from an operation.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/{first}'
components:
  schemas:
"""


def ops(count, invites_path, out):
    """The invites spec (4 operations, 9 schemas) copied count/4 times; copy i has its paths
    under /c{i}, operationIds ending -c{i} and schema names ending S{i}, so nothing clashes."""
    if count % 4:
        sys.exit("synth.py ops: the count must be a multiple of 4 (the invites spec has 4 operations)")
    lines = Path(invites_path).read_text().splitlines(keepends=True)
    paths_at = lines.index("paths:\n")
    components_at = lines.index("components:\n")
    schemas_at = lines.index("  schemas:\n")
    head = "".join(lines[:paths_at + 1])
    head = re.sub(r"(\n    crate-name: ).*", rf"\g<1>scale-ops-{count}", head)
    paths = "".join(lines[paths_at + 1:components_at])
    before_schemas = "".join(lines[components_at:schemas_at + 1])
    schemas = "".join(lines[schemas_at + 1:])
    names = re.findall(r"^    ([A-Za-z][A-Za-z0-9]*):\n", schemas, flags=re.M)
    if not names:
        sys.exit(f"synth.py ops: no schemas found in {invites_path}")

    def rename_refs(text, i):
        return re.sub(r"(#/components/schemas/)([A-Za-z0-9]+)", rf"\1\2S{i}", text)

    def rename_paths(i):
        text = re.sub(r"^  /", f"  /c{i}/", paths, flags=re.M)
        return rename_refs(re.sub(r"(operationId: )(\S+)", rf"\1\2-c{i}", text), i)

    def rename_schemas(i):
        return rename_refs(re.sub(r"^    ([A-Za-z][A-Za-z0-9]*):\n", rf"    \1S{i}:\n", schemas, flags=re.M), i)

    copies = range(count // 4)
    body = [head]
    body += [rename_paths(i) for i in copies]
    body.append(before_schemas)
    body += [rename_schemas(i) for i in copies]
    Path(out).write_text("".join(body))


def refs(count, out):
    """Schemas Node0 … Node{count-1}, each an object whose `next` property refers to the next."""
    parts = [HEADER.format(title=f"Scale refs {count}", crate=f"scale-refs-{count}", first="Node0")]
    for i in range(count):
        parts.append(f"    Node{i}:\n      type: object\n      properties:\n")
        parts.append("        label:\n          type: string\n")
        if i + 1 < count:
            parts.append(f"        next:\n          $ref: '#/components/schemas/Node{i + 1}'\n")
    Path(out).write_text("".join(parts))


def colliding_names(count):
    """`Pet`, then `Pet` followed by every string of `_` and `-`, shortest first: names that
    differ only in separators, which a Rust type name drops."""
    names, length = ["Pet"], 1
    while len(names) < count:
        for n in range(2 ** length):
            suffix = "".join("_-"[(n >> bit) & 1] for bit in reversed(range(length)))
            names.append("Pet" + suffix)
            if len(names) == count:
                break
        length += 1
    return names


def collide(count, out):
    """count object schemas named by colliding_names, with no references between them (the
    `refs` shape measures references); every component schema is generated, used or not."""
    names = colliding_names(count)
    parts = [HEADER.format(title=f"Scale collide {count}", crate=f"scale-collide-{count}", first="Pet")]
    for name in names:
        parts.append(f"    {name}:\n      type: object\n      properties:\n        tag:\n          type: string\n")
    Path(out).write_text("".join(parts))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit("usage: synth.py ops N INVITES OUT | refs N OUT | collide N OUT")
    shape, n = sys.argv[1], int(sys.argv[2])
    if shape == "ops":
        ops(n, sys.argv[3], sys.argv[4])
    elif shape == "refs":
        refs(n, sys.argv[3])
    elif shape == "collide":
        collide(n, sys.argv[3])
    else:
        sys.exit(f"synth.py: unknown shape {shape} (ops, refs, collide)")
