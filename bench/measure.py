# bench/run's helpers: peak memory of a command, the one-field spec edit, the no-build-script
# manifest, and the report (tables of medians, min-max and ratios, targets met or missed)
# built from the files bench/run leaves in target/bench/results.
import json
import os
import re
import resource
import statistics
import subprocess
import sys
from pathlib import Path


def maxrss(argv):
    """Runs argv and prints its peak resident set size in kilobytes (children included)."""
    code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.exit(code)


def timev(log, argv):
    """Runs argv under GNU time (`/usr/bin/time -v`) with its output in `log`, and prints
    `wall_seconds max_rss_kb exit_code`. The wall time is measured here (GNU time rounds to
    10 ms); the peak RSS is GNU time's, the largest of the process and its waited-for
    descendants (rustc under cargo, the JVM under a wrapper)."""
    import time
    report = log + ".time"
    start = time.perf_counter()
    with open(log, "wb") as out:
        code = subprocess.run(["/usr/bin/time", "-v", "-o", report, *argv], stdout=out, stderr=subprocess.STDOUT).returncode
    wall = time.perf_counter() - start
    rss = 0
    for line in Path(report).read_text(errors="replace").splitlines():
        if "Maximum resident set size" in line:
            rss = int(line.rsplit(":", 1)[1])
    print(f"{wall:.3f} {rss} {code}")


def rust_lines(folder):
    """Lines of Rust in a generated folder (build output excluded)."""
    total = 0
    for path in Path(folder).rglob("*.rs"):
        if "target" not in path.relative_to(folder).parts:
            total += len(path.read_bytes().splitlines())
    print(total)


def has_feature(manifest, name):
    """Exit 0 when the manifest's [features] table defines `name`."""
    import tomllib
    features = tomllib.loads(Path(manifest).read_text()).get("features", {})
    sys.exit(0 if name in features else 1)


FIELD = """        bench_note:
          type: string
          description: A field bench/run adds and removes to time one build after a spec edit.
"""


def toggle_field(path):
    """Adds an optional `bench_note` property to the Invite schema, or removes it."""
    text = Path(path).read_text()
    if FIELD in text:
        text = text.replace(FIELD, "")
    else:
        anchor = "    Invite:\n"
        start = text.index(anchor)
        props = text.index("      properties:\n", start) + len("      properties:\n")
        text = text[:props] + FIELD + text[props:]
    Path(path).write_text(text)


def strip_build_script(path):
    """The baseline manifest: no build script, no build-dependencies."""
    text = Path(path).read_text()
    text = text.replace('build = "build.rs"', "build = false")
    text = re.sub(r"\n\[build-dependencies\]\n(?:[^\[\n][^\n]*\n|\n)*", "\n", text)
    Path(path).write_text(text)


def crate_name(path):
    for line in Path(path).read_text().splitlines():
        m = re.match(r'\s*name\s*=\s*"([^"]+)"', line)
        if m:
            print(m.group(1))
            return
    sys.exit("no package name in " + path)


# --- the report ---------------------------------------------------------------------------

SPECS = ["invites", "petstore-expanded", "openai-invites", "openai"]
SPEC_FILES = {
    "invites": "spec/openapi.yaml",
    "petstore-expanded": "generator/tests/specs/petstore-expanded.yaml",
    "openai-invites": "generator/tests/specs/openai-invites.yaml",
    "openai": "generator/tests/specs/openai.yaml",
}


def load_times(results, name):
    """Seconds of each run, or None; a failure's summary as a string."""
    fail = results / f"{name}.fail"
    if fail.exists():
        log = results / f"{name}.log"
        lines = [l.strip() for l in log.read_text(errors="replace").splitlines()] if log.exists() else []
        return f"{failure_summary(lines)} ({fail.read_text().strip()})"
    path = results / f"{name}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["results"][0]["times"]


def failure_summary(lines):
    """The line of a failed run's output that says why: a panic's message, else the first
    error or exception, else the last line."""
    lines = [l for l in lines if l]
    for i, line in enumerate(lines):
        if "panicked at" in line:
            where = line.split("panicked at", 1)[1].strip().rstrip(":").rsplit("/", 1)[-1]
            message = lines[i + 1] if i + 1 < len(lines) else ""
            return f"panics: {short(message, 70)} ({where})"
    for line in lines:
        if re.match(r"(error|Error|Exception|gen fail)", line):
            return "fails: " + short(line.replace("Exception in thread \"main\" ", ""), 110)
    return "fails: " + short(lines[-1] if lines else "no output", 110)


def short(text, width=110):
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def fmt_s(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def cell(times):
    if times is None:
        return "not run"
    if isinstance(times, str):
        return times
    med = statistics.median(times)
    if len(times) == 1:
        return f"{fmt_s(med)} (1 run)"
    return f"{fmt_s(med)} ({fmt_s(min(times))}–{fmt_s(max(times))})"


def ratio(a, b):
    if isinstance(a, list) and isinstance(b, list):
        return statistics.median(a) / statistics.median(b)
    return None


def fmt_ratio(r):
    if r is None:
        return "—"
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.3f}×" if r >= 0.01 else f"{r:.4f}×"


def verdict(ok):
    return "**met**" if ok else "**missed**"


def report(results):
    results = Path(results)
    out = []
    targets = []
    mode = (results / "mode").read_text().strip() if (results / "mode").exists() else ""
    out.append(f"Mode: `{mode}`. Times are medians of the runs, (min–max) after them.\n")

    # 1 and 4: generation.
    if any(results.glob("gen.*")):
        out.append("## 1. Generation time (whole process)\n")
        if (results / "gen.versions").exists():
            out.append("Peers: " + "; ".join(results.joinpath("gen.versions").read_text().strip().splitlines()) + ".\n")
        out.append("| spec | bare parse (floor) | openapi-rustgen | ÷ floor | progenitor | ours ÷ progenitor | openapi-generator (rust) | ours ÷ openapi-generator |")
        out.append("|---|---|---|---|---|---|---|---|")
        for spec in SPECS:
            floor = load_times(results, f"gen.floor.{spec}")
            ours = load_times(results, f"gen.ours.{spec}")
            prog = load_times(results, f"gen.progenitor.{spec}")
            oag = load_times(results, f"gen.openapi-generator.{spec}")
            skip = load_times(results, f"gen.openapi-generator-novalidate.{spec}")
            if isinstance(oag, str) and skip is not None:
                oag_cell = f"{cell(oag)}; with `--skip-validate-spec`: {cell(skip)}"
                oag = skip
            else:
                oag_cell = cell(oag)
            if floor is None and ours is None:
                continue
            out.append(
                f"| `{spec}` | {cell(floor)} | {cell(ours)} | {fmt_ratio(ratio(ours, floor))} | {cell(prog)} | "
                f"{fmt_ratio(ratio(ours, prog))} | {oag_cell} | {fmt_ratio(ratio(ours, oag))} |"
            )
            if spec == "openai":
                r = ratio(ours, floor)
                targets.append(("generation ≤ 2× bare parse on the full OpenAI spec",
                                "≤ 2.00×", fmt_ratio(r) if r else short(cell(ours), 60), r is not None and r <= 2))
            r = ratio(ours, prog)
            if r is not None:
                targets.append((f"generation ≤ 0.5× progenitor on `{spec}`", "≤ 0.50×", fmt_ratio(r), r <= 0.5))
        out.append("")

        out.append("## 4. Peak memory (max RSS) of one generation\n")
        out.append("| spec | bare parse | openapi-rustgen | progenitor | openapi-generator (JVM) |")
        out.append("|---|---|---|---|---|")
        for spec in SPECS:
            row = []
            for tool in ["floor", "ours", "progenitor", "openapi-generator"]:
                rss = results / f"gen.{tool}.{spec}.rss"
                if not rss.exists():
                    rss = results / f"gen.{tool}-novalidate.{spec}.rss"
                failed = (results / f"gen.{tool}.{spec}.fail").exists()
                row.append(f"{int(rss.read_text()) / 1024:.1f} MB" if rss.exists() else ("fails" if failed else "not run"))
            if row[0] == "not run" and row[1] == "not run":
                continue
            out.append(f"| `{spec}` | " + " | ".join(row) + " |")
            if spec == "openai":
                rss = results / f"gen.ours.{spec}.rss"
                mb = int(rss.read_text()) / 1024 if rss.exists() else None
                targets.append(("generator peak RSS ≤ 300 MB on the full OpenAI spec", "≤ 300 MB",
                                f"{mb:.1f} MB" if mb else "generation fails", mb is not None and mb <= 300))
        out.append("")

        phases = results / "gen.phases"
        if phases.exists():
            lines = phases.read_text().strip().splitlines()
            spec, runs = lines[0], [parse_timings(line) for line in lines[1:]]
            runs = [r for r in runs if r]
            if runs:
                out.append(f"## Generator phases (`--timings`) on `{spec}`, median of {len(runs)} runs\n")
                out.append("| phase | median | min–max | share |")
                out.append("|---|---|---|---|")
                names = list(runs[0].keys())
                total = sum(statistics.median(r[n] for r in runs) for n in names)
                for n in names:
                    vals = [r[n] for r in runs]
                    med = statistics.median(vals)
                    out.append(f"| {n} | {fmt_s(med)} | {fmt_s(min(vals))}–{fmt_s(max(vals))} | {med / total * 100:.0f}% |")
                out.append("")

    # 2: build.
    if any(results.glob("build.*")):
        out.append("## 2. Build cost (debug profile)\n")
        out.append("| measurement | time | baseline | ratio |")
        out.append("|---|---|---|---|")
        w = load_times(results, "build.noop.with")
        wo = load_times(results, "build.noop.without")
        out.append(f"| no-op `cargo build`, root package | {cell(w)} | {cell(wo)} (same package, no build script) | {fmt_ratio(ratio(w, wo))} |")
        r = ratio(w, wo)
        targets.append(("no-op build ≤ 1.1× the build-script-free baseline", "≤ 1.10×", fmt_ratio(r) if r else "not measured", r is not None and r <= 1.1))
        e = load_times(results, "build.spec-edit")
        out.append(f"| one `cargo build` after a one-field spec edit | {cell(e)} | | |")
        spec_line = (results / "build.crate.spec").read_text().strip() if (results / "build.crate.spec").exists() else ""
        for kind, title in [("crate", "the crate alone, dependencies built"), ("crate-deps", "cold, with its dependencies")]:
            o = load_times(results, f"build.{kind}.ours")
            p = load_times(results, f"build.{kind}.progenitor")
            if o is None and p is None:
                continue
            out.append(f"| generated crate, {title} | {cell(o)} | {cell(p)} (progenitor's crate) | {fmt_ratio(ratio(o, p))} |")
        if spec_line:
            out.append(f"\nGenerated crates built from: `{spec_line}`.")
        out.append("")

    # 3: client.
    crit = results / "client.criterion"
    if crit.exists():
        out.append("## 3. Client overhead (criterion, loopback, one connection pool)\n")
        out.append("| measurement | hand-written | generated client | generated ÷ hand-written (speed) |")
        out.append("|---|---|---|---|")
        for group, title, unit in [
            ("retrieve_invite", "`retrieve_invite`, sequential requests", "req/s"),
            ("list_page_100", "`list_invites().limit(100)`, one 100-invite page per request", "req/s"),
            ("decode_page_100", "decode a 100-invite page (no I/O)", "time"),
        ]:
            h = criterion_estimate(crit, group, "handwritten")
            g = criterion_estimate(crit, group, "generated")
            if h is None or g is None:
                continue
            speed = h[0] / g[0]
            if unit == "req/s":
                fh = f"{1e9 / h[0]:,.0f} req/s ({1e9 / h[2]:,.0f}–{1e9 / h[1]:,.0f})"
                fg = f"{1e9 / g[0]:,.0f} req/s ({1e9 / g[2]:,.0f}–{1e9 / g[1]:,.0f})"
            else:
                fh = f"{h[0] / 1e3:.1f} µs ({h[1] / 1e3:.1f}–{h[2] / 1e3:.1f})"
                fg = f"{g[0] / 1e3:.1f} µs ({g[1] / 1e3:.1f}–{g[2] / 1e3:.1f})"
            out.append(f"| {title} | {fh} | {fg} | {speed:.2f}× |")
            if group == "retrieve_invite":
                targets.append(("client throughput ≥ 0.95× hand-written (`retrieve_invite`)", "≥ 0.95×", f"{speed:.2f}×", speed >= 0.95))
            if group == "decode_page_100":
                targets.append(("page decode ≥ 0.95× hand-written", "≥ 0.95×", f"{speed:.2f}×", speed >= 0.95))
        out.append("\nCriterion medians, (95% confidence interval of the median) after them.\n")

    stream = results / "memory.stream"
    if stream.exists():
        rows = [json.loads(line.split(" ", 1)[1]) for line in stream.read_text().splitlines() if line.strip()]
        if len(rows) >= 2:
            out.append("## 3b. Streaming memory (`list_invites().limit(100).stream()`)\n")
            out.append("| invites streamed | peak live heap above start | allocations |")
            out.append("|---|---|---|")
            for row in rows:
                out.append(f"| {row['count']:,} | {row['peak_bytes'] / 1024:.1f} KiB | {row['allocations']:,} |")
            a, b = rows[0], rows[-1]
            grow = b["peak_bytes"] / a["peak_bytes"]
            out.append(f"| ratio {b['count']:,} ÷ {a['count']:,} | {grow:.2f}× | {b['allocations'] / a['allocations']:.2f}× |")
            out.append("")
            targets.append((f"streaming memory flat ({b['count']:,} vs {a['count']:,} invites, peak heap)", "≤ 1.10×", f"{grow:.2f}×", grow <= 1.1))

    scale_report(results, out, targets)
    cold_report(results, out, targets)
    peers_report(results, out)

    if targets:
        out.append("## Targets\n")
        out.append("| target | wanted | measured | |")
        out.append("|---|---|---|---|")
        for name, want, got, ok in targets:
            out.append(f"| {name} | {want} | {got} | {verdict(ok)} |")
        out.append("")
    print("\n".join(out))


# Each synthetic shape of the scale group: its title, what N counts, and the factor between
# its sizes (so a linear cost grows by that factor per step).
SCALE_SHAPES = [
    ("ops", "`spec/openapi.yaml` replicated (N operations, 9N/4 schemas)", "operations", 10),
    ("refs", "a chain of N object schemas, each `$ref`ing the next", "schemas", 2),
    ("collide", "N schemas whose names all sanitize to `Pet`", "schemas", 2),
]
# How far above the linear factor a step may grow and still read as linear: measurements on a
# shared machine move by tens of percent, a quadratic step doubles the factor.
SCALE_SLACK = 1.5


def scale_sizes(results, shape):
    sizes = set()
    for path in results.glob(f"scale.{shape}.*"):
        size = path.name.split(".")[2]
        if size.isdigit():
            sizes.add(int(size))
    return sorted(sizes)


def scale_growth(values, sizes, factor):
    """Per size after the first: (the value's growth since the previous size, its verdict)."""
    cells, worst = [""], None
    for prev, cur, a, b in zip(sizes, sizes[1:], values, values[1:]):
        if a is None or b is None:
            cells.append("—")
            continue
        linear = factor if cur == prev * factor else cur / prev
        r = b / a
        ok = r <= linear * SCALE_SLACK
        cells.append(f"{fmt_ratio(r)} {'linear' if ok else '**superlinear**'}")
        if worst is None or r / linear > worst[0] / worst[1]:
            worst = (r, linear, ok)
    return cells, worst


def scale_report(results, out, targets):
    """Section 5: generation time, peak memory and (for ops) `cargo check` per synthetic
    size, with each step's growth against the linear expectation."""
    shapes = [s for s in SCALE_SHAPES if scale_sizes(results, s[0])]
    if not shapes:
        return
    out.append("## 5. Scale: growth with the spec's size (synthetic specs)\n")
    out.append(f"Each step's growth next to the linear one; **linear** when it is at most "
               f"{SCALE_SLACK}× the linear factor (fixed costs such as process start make small "
               "steps grow less than linearly).\n")
    for shape, title, unit, factor in shapes:
        sizes = scale_sizes(results, shape)
        gen = [load_times(results, f"scale.{shape}.{n}") for n in sizes]
        gen_s = [statistics.median(t) if isinstance(t, list) else None for t in gen]
        rss = []
        for n in sizes:
            f = results / f"scale.{shape}.{n}.rss"
            rss.append(int(f.read_text()) / 1024 if f.exists() else None)
        checks = [load_times(results, f"scale.check.{shape}.{n}") for n in sizes]
        has_check = any(c is not None for c in checks)
        check_s = [statistics.median(t) if isinstance(t, list) else None for t in checks]
        gen_growth, gen_worst = scale_growth(gen_s, sizes, factor)
        rss_growth, _ = scale_growth(rss, sizes, factor)
        check_growth, check_worst = scale_growth(check_s, sizes, factor)
        out.append(f"### `{shape}-N`: {title}; linear growth per step {factor}×\n")
        head = f"| N ({unit}) | generation | growth | peak RSS | growth |"
        rule = "|---:|---|---|---|---|"
        if has_check:
            head += " `cargo check` of the crate | growth |"
            rule += "---|---|"
        out.append(head)
        out.append(rule)
        for i, n in enumerate(sizes):
            row = (f"| {n:,} | {cell(gen[i])} | {gen_growth[i]} | "
                   f"{f'{rss[i]:.1f} MB' if rss[i] is not None else 'not run'} | {rss_growth[i]} |")
            if has_check:
                row += f" {cell(checks[i])} | {check_growth[i]} |"
            out.append(row)
        out.append("")
        for what, worst in [("generation", gen_worst), ("`cargo check`", check_worst if has_check else None)]:
            if worst is None:
                continue
            r, linear, ok = worst
            targets.append((f"{what} grows at most linearly on `{shape}-N` (steepest step)",
                            f"≤ {fmt_ratio(linear * SCALE_SLACK)}", fmt_ratio(r), ok))


def cold_report(results, out, targets):
    """Section 6: cold builds of the invites crate per TLS backend against progenitor's."""
    if not any(results.glob("cold.*")):
        return
    out.append("## 6. Cold build of the generated crate (`bench/run cold`)\n")
    if (results / "cold.versions").exists():
        out.append("Tools: " + "; ".join(results.joinpath("cold.versions").read_text().strip().splitlines()) + ".\n")
    out.append("| crate (spec/openapi.yaml) | cold `cargo build`, fresh target dir | ÷ progenitor's crate | ÷ progenitor's + TLS |")
    out.append("|---|---|---|---|")
    prog = load_times(results, "cold.progenitor")
    prog_tls = load_times(results, "cold.progenitor-tls")
    skip = results / "cold.progenitor.skip"
    for who, title in [("ours", "ours, default features (`rustls-ring`)"),
                       ("ours-aws-lc-rs", "ours, `--no-default-features --features rustls-aws-lc-rs,invites`"),
                       ("ours-no-tls", "ours, `--no-default-features --features invites` (http:// only, like progenitor's)"),
                       ("progenitor", "progenitor's (no TLS)"),
                       ("progenitor-tls", "progenitor's + reqwest `rustls-no-provider` + rustls `ring`")]:
        times = load_times(results, f"cold.{who}")
        if who.startswith("progenitor") and skip.exists():
            out.append(f"| {title} | {skip.read_text().strip()} | | |")
            continue
        ours = who.startswith("ours")
        r = ratio(times, prog) if ours else None
        r_tls = ratio(times, prog_tls) if ours else None
        out.append(f"| {title} | {cell(times)} | {fmt_ratio(r) if r else ''} | {fmt_ratio(r_tls) if r_tls else ''} |")
        if who == "ours":
            targets.append(("cold build of the invites crate ≤ 1.2× progenitor's", "≤ 1.20×",
                            fmt_ratio(r) if r else "not measured", r is not None and r <= 1.2))
            targets.append(("the same, against progenitor's crate given the same TLS", "≤ 1.20×",
                            fmt_ratio(r_tls) if r_tls else "not measured", r_tls is not None and r_tls <= 1.2))
        if who == "ours-no-tls":
            targets.append(("the same, both without TLS (http:// only)", "≤ 1.20×",
                            fmt_ratio(r) if r else "not measured", r is not None and r <= 1.2))
    out.append("")


PEER_TOOLS = ["ours", "progenitor", "ploidy", "openapi-to-rust"]


def peer_runs(path):
    """(wall seconds of each successful run, peak RSS in KB of the first, exit code)."""
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    if not rows:
        return None
    ok = [r for r in rows if r[2] == "0"]
    if not ok:
        return ([], int(rows[0][1]), int(rows[0][2]))
    return ([float(r[0]) for r in ok], int(ok[0][1]), 0)


def peers_report(results, out):
    """Section 7: the peers side by side, ratios ours ÷ peer from the same run."""
    specs = sorted({p.name.split(".")[3] for p in results.glob("peers.gen.*.*") if len(p.name.split(".")) == 4})
    if not specs:
        return
    order = ["invites", "redocly-museum", "kubernetes-batch-v1", "adyen-checkout-v71", "openai"]
    specs.sort(key=lambda s: order.index(s) if s in order else len(order))
    out.append("## 7. Peers side by side (`bench/run peers`)\n")
    if (results / "peers.versions").exists():
        out.append("Peers: " + "; ".join(results.joinpath("peers.versions").read_text().strip().splitlines()) + ".\n")
    out.append("Generation: median wall time of up to 3 runs, peak RSS of the first (GNU `time -v`). "
               "`cargo check`: one run of the crate alone (dependencies built before in the shared "
               "target dir), `CARGO_INCREMENTAL=0`. Ratios are ours ÷ the row's (below 1: ours is "
               "faster or smaller).\n")
    out.append("| spec | generator | generation | peak RSS | lines of Rust | `cargo check` | check peak RSS | ours ÷ this: gen time / gen RSS / check time / check RSS |")
    out.append("|---|---|---|---|---:|---|---|---|")

    def measure(kind, tool, spec):
        path = results / f"peers.{kind}.{tool}.{spec}"
        if not path.exists():
            fail = results / f"peers.{kind}.{tool}.{spec}.fail"
            return fail.read_text().strip() if fail.exists() else None
        runs = peer_runs(path)
        if runs is None:
            return None
        walls, rss, code = runs
        if code != 0:
            log = results / f"peers.{kind}.{tool}.{spec}.log"
            lines = [l.strip() for l in log.read_text(errors="replace").splitlines()] if log.exists() else []
            if code == 124:
                return "stopped at the time limit (exit 124)"
            return f"{failure_summary(lines)} (exit {code})"
        return (statistics.median(walls), rss)

    def show(m, index):
        if m is None:
            return "—"
        if isinstance(m, str):
            return m if index == 0 else ""
        return fmt_s(m[0]) if index == 0 else f"{m[1] / 1024:.1f} MB"

    for spec in specs:
        ours_gen, ours_check = measure("gen", "ours", spec), measure("check", "ours", spec)
        for tool in PEER_TOOLS:
            gen = measure("gen", tool, spec)
            if gen is None:
                continue
            check = measure("check", tool, spec)
            lines_file = results / f"peers.lines.{tool}.{spec}"
            lines = f"{int(lines_file.read_text()):,}" if lines_file.exists() else "—"
            ratios = "—"
            if tool != "ours":
                parts = []
                for a, b in [(ours_gen, gen), (ours_check, check)]:
                    for i in (0, 1):
                        parts.append(fmt_ratio(a[i] / b[i]) if isinstance(a, tuple) and isinstance(b, tuple) and b[i] else "—")
                ratios = " / ".join(parts)
            out.append(f"| `{spec}` | {tool} | {show(gen, 0)} | {show(gen, 1)} | {lines} | {short(show(check, 0), 120)} | {show(check, 1)} | {ratios} |")
    out.append("")
    extra = [("all-features", "our OpenAI crate, `--all-features` (mock server, every TLS backend)"),
             ("one-feature", "our OpenAI crate, one feature only")]
    rows = []
    for key, title in extra:
        path = results / f"peers.extra.{key}"
        skip = results / f"peers.extra.{key}.skip"
        name = results / f"peers.extra.{key}.name"
        if name.exists():
            title += f" (`--no-default-features --features rustls-ring,{name.read_text().strip()}`)"
        if path.exists():
            runs = peer_runs(path)
            if runs and runs[2] == 0:
                rows.append(f"| {title} | {fmt_s(statistics.median(runs[0]))} | {runs[1] / 1024:.1f} MB |")
            elif runs:
                rows.append(f"| {title} | fails (exit {runs[2]}) | |")
        elif skip.exists():
            rows.append(f"| {title} | {skip.read_text().strip()} | |")
    if rows:
        out.append("| crate | `cargo check`, the crate alone | peak RSS |")
        out.append("|---|---|---|")
        out.extend(rows)
        out.append("")


UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def parse_timings(line):
    """`timings: load 1.2ms, lower 3µs, ...` → {phase: seconds}."""
    phases = {}
    for name, number, unit in re.findall(r"([a-z+]+) ([0-9.]+)(ns|µs|us|ms|s)\b", line):
        phases[name] = float(number) * UNITS[unit]
    return phases


def criterion_estimate(root, group, function):
    """(median, lower bound, upper bound) of the time per iteration, in nanoseconds."""
    path = root / group / function / "new" / "estimates.json"
    if not path.exists():
        return None
    median = json.loads(path.read_text())["median"]
    ci = median["confidence_interval"]
    return median["point_estimate"], ci["lower_bound"], ci["upper_bound"]


def smoke_check(results):
    """The smoke run passes when our own measurements ran: generation of the project's spec,
    the client benchmarks, the streaming-memory check and generation of the scale specs."""
    results = Path(results)
    problems = []
    if not (results / "gen.ours.invites.json").exists():
        problems.append("the generator did not run on spec/openapi.yaml")
    if not (results / "gen.floor.invites.json").exists():
        problems.append("the parse floor did not run on spec/openapi.yaml")
    smoke = results / "client.smoke"
    if not smoke.exists() or "FAILED" in smoke.read_text() or "panicked" in smoke.read_text():
        problems.append("the client benchmarks did not pass as tests")
    stream = results / "memory.stream"
    if not stream.exists() or len(stream.read_text().strip().splitlines()) < 2:
        problems.append("the streaming-memory benchmark did not report")
    if not all(scale_sizes(results, shape) for shape, *_ in SCALE_SHAPES) or any(results.glob("scale.*.fail")):
        problems.append("the generator did not run on every synthetic scale spec")
    for p in problems:
        print(f"bench smoke: {p}", file=sys.stderr)
    print(f"bench smoke: {5 - len(problems)} passed, {len(problems)} failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "maxrss":
        maxrss(args)
    elif command == "toggle-field":
        toggle_field(args[0])
    elif command == "strip-build-script":
        strip_build_script(args[0])
    elif command == "timev":
        timev(args[0], args[1:])
    elif command == "rust-lines":
        rust_lines(args[0])
    elif command == "has-feature":
        has_feature(args[0], args[1])
    elif command == "crate-name":
        crate_name(args[0])
    elif command == "report":
        report(args[0])
    elif command == "smoke-check":
        smoke_check(args[0])
    else:
        sys.exit(f"measure.py: unknown command {command}")
