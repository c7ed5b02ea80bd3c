#!/usr/bin/env python3
"""Turns one tests/bench/run.sh run (its raw directory) into results.json,
results.md (the tables of BENCHMARKS.md) and throughput.png, latency.png
(gnuplot) in the results directory.

    report.py RAW_DIR RESULTS_DIR [RECORD_DIR]

RECORD_DIR (default RESULTS_DIR) holds the committed run of record.
The tables are written first; without gnuplot the plots are skipped with a
message saying so (the PNGs already in RESULTS_DIR are then not this run's).
A figure this run did not measure but that is taken from the committed run of
record (the soak, from RECORD_DIR/soak.json) is labelled as such.
"""
import json
import os
import shutil
import subprocess
import sys


def load(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return None
    with open(p) as fp:
        txt = fp.read().strip()
    return json.loads(txt) if txt else None


def time_of(d, name):
    p = os.path.join(d, name + ".time")
    if not os.path.exists(p):
        return None
    line = open(p).read().strip().splitlines()[-1]
    import re
    line = re.sub(r'"cpu_seconds":([0-9.]+)\+([0-9.]+)',
                  lambda m: '"cpu_seconds":%.2f' % (float(m.group(1)) +
                                                    float(m.group(2))), line)
    return json.loads(line)


def record_of(path):
    """How to name a committed result file: the commit and date of the run
    of record it comes from, as git knows them."""
    path = os.path.abspath(path)
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%h, %cs", "--", path],
            cwd=os.path.dirname(path), capture_output=True, text=True,
            timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    where = os.path.relpath(path)
    if out:
        return f"not measured in this run: the run of record, {where} at {out}"
    return f"not measured in this run: the run of record, {where}"


def f(x, nd=1):
    if x is None:
        return "–"
    if isinstance(x, float) and x >= 100:
        return f"{x:,.0f}"
    return f"{x:,.{nd}f}" if isinstance(x, float) else f"{x:,}"


def main():
    raw, res = sys.argv[1], sys.argv[2]
    record = sys.argv[3] if len(sys.argv) > 3 else res
    os.makedirs(res, exist_ok=True)
    R = {"machine": open(os.path.join(raw, "machine.txt")).read()}

    # 1. Enrichment alone.
    bench = load(raw, "enricher_bench.json")
    rules = load(raw, "enricher_bench_rules.json")
    spacy = load(raw, "spacy_alone.json")
    pipe_t = time_of(raw, "enricher_pipe")
    pipe = None
    if pipe_t:
        p = os.path.join(raw, "enricher_pipe.log")
        pipe_log = open(p).read() if os.path.exists(p) else ""
        import re
        m = re.search(r"(\d+) records, (\d+) errors", pipe_log)
        pipe_n = (int(m.group(1)) + int(m.group(2)) if m else
                  bench["articles"] if bench else 0)
        if pipe_n and pipe_t["wall_seconds"] > 0:
            pipe = {"articles": pipe_n, "seconds": pipe_t["wall_seconds"],
                    "articles_per_second": pipe_n / pipe_t["wall_seconds"],
                    "cpu_us_per_article": pipe_t["cpu_seconds"] * 1e6 / pipe_n,
                    "peak_rss_mb": pipe_t["peak_rss_kb"] / 1024.0}
    R["alone"] = {"enricher_bench": bench, "enricher_bench_rules": rules,
                  "enricher_pipe": pipe, "spacy": spacy}

    # 2. End to end.
    e2e = {}
    for name in ("passthrough", "enricher", "enricher_eos", "peer"):
        r = load(raw, f"e2e_{name}.read.json")
        if r:
            r["cpu_us_per_message"] = r["cpu_seconds"] * 1e6 / max(1, r["count"])
            r["overall_per_second"] = r["count"] / r["wall_seconds"]
            e2e[name] = r
    R["e2e"] = e2e

    # 3. Latency.
    lat = {}
    for name in ("passthrough", "enricher", "enricher_eos", "enricher_low",
                 "peer"):
        r = load(raw, f"lat_{name}.json")
        if r:
            r["offered"] = load(raw, f"lat_{name}.rate.json")
            lat[name] = r
    R["latency"] = lat

    # Soak, when tests/bench/soak.sh ran into the same directory; else the
    # committed run of record's, said so wherever it is shown.
    R["soak"] = load(raw, "soak.json")
    R["soak_source"] = "this run" if R["soak"] else None
    if not R["soak"]:
        R["soak"] = load(record, "soak.json")
        if R["soak"]:
            R["soak_source"] = record_of(os.path.join(record, "soak.json"))
    p = os.path.join(raw, "e2e_sh.txt")
    R["e2e_sh"] = open(p).read() if os.path.exists(p) else None

    # Ratios and targets.
    t = {}
    if bench and spacy:
        t["enricher_vs_spacy_articles_per_second"] = (
            bench["articles_per_second"] / spacy["articles_per_second"])
        t["enricher_vs_spacy_cpu_per_article"] = (
            spacy["cpu_us_per_article"] / bench["cpu_us_per_article"])
    if "enricher" in e2e:
        if pipe:
            t["e2e_vs_pipe"] = (e2e["enricher"]["messages_per_second"] /
                                pipe["articles_per_second"])
        if bench:
            t["e2e_vs_bench"] = (e2e["enricher"]["messages_per_second"] /
                                 bench["articles_per_second"])
        if "passthrough" in e2e:
            t["e2e_vs_ceiling"] = (e2e["enricher"]["messages_per_second"] /
                                   e2e["passthrough"]["messages_per_second"])
        if "peer" in e2e:
            t["e2e_vs_peer"] = (e2e["enricher"]["messages_per_second"] /
                                e2e["peer"]["messages_per_second"])
    if "enricher_eos" in e2e and "passthrough" in e2e:
        t["e2e_eos_vs_ceiling"] = (e2e["enricher_eos"]["messages_per_second"] /
                                   e2e["passthrough"]["messages_per_second"])
    if "enricher_eos" in e2e and "peer" in e2e:
        t["e2e_eos_vs_peer"] = (e2e["enricher_eos"]["messages_per_second"] /
                                e2e["peer"]["messages_per_second"])
    R["ratios"] = t
    with open(os.path.join(res, "results.json"), "w") as fp:
        json.dump(R, fp, indent=1)

    # The tables.
    md = []
    md.append("### Enrichment alone (one thread, BBC articles, no Kafka)\n")
    md.append("| system | articles/s | MB/s | CPU µs/article | peak RSS MB "
              "| × spaCy (articles/s) |")
    md.append("|---|---:|---:|---:|---:|---:|")
    sp = spacy["articles_per_second"] if spacy else None
    rows = [("`enricher bench` (tagger, the default)", bench),
            ("`enricher bench --model none` (rules only)", rules),
            ("`enricher pipe` (file → records, wall clock)", pipe),
            ("spaCy `en_core_web_sm` + textstat", spacy)]
    for label, r in rows:
        if not r:
            continue
        md.append(f"| {label} | {f(r['articles_per_second'])} | "
                  f"{f(r.get('mb_per_second'), 2)} | "
                  f"{f(r['cpu_us_per_article'])} | {f(r['peak_rss_mb'])} | "
                  f"{f(r['articles_per_second'] / sp) if sp else '–'} |")
    md.append("")
    md.append("### One worker end to end (real broker, "
              f"{e2e.get('enricher', {}).get('count', '?')} messages, "
              "4 partitions)\n")
    md.append("| system | messages | wall s | messages/s (first→last output) "
              "| CPU µs/message | peak RSS MB | % of ceiling | × peer |")
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    ceil = e2e.get("passthrough", {}).get("messages_per_second")
    peer = e2e.get("peer", {}).get("messages_per_second")
    labels = {"passthrough": "pass-through (no enrichment: the ceiling)",
              "enricher": "`enricher run` (at-least-once)",
              "enricher_eos": "`enricher run --exactly-once`",
              "peer": "Python peer (confluent-kafka + spaCy + textstat)"}
    for name in ("passthrough", "enricher", "enricher_eos", "peer"):
        r = e2e.get(name)
        if not r:
            continue
        mps = r.get("messages_per_second")
        md.append(f"| {labels[name]} | {f(r['count'])} | "
                  f"{f(r['wall_seconds'])} | {f(mps)} | "
                  f"{f(r['cpu_us_per_message'])} | "
                  f"{f(r['peak_rss_kb'] / 1024.0)} | "
                  f"{f(100.0 * mps / ceil) if ceil and mps else '–'} | "
                  f"{f(mps / peer) if peer and mps else '–'} |")
    md.append("")
    md.append("### End-to-end latency at a fixed offered load "
              "(send → arrival at a read_committed consumer)\n")
    md.append("| system | offered msg/s | achieved | outputs | p50 ms | "
              "p90 ms | p99 ms | max ms |")
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    labels = dict(labels)
    labels["enricher_low"] = "`enricher run` (at-least-once), peer's load"
    for name in ("passthrough", "enricher", "enricher_eos", "enricher_low",
                 "peer"):
        r = lat.get(name)
        if not r or "latency_ms" not in r:
            continue
        L = r["latency_ms"]
        o = r.get("offered") or {}
        md.append(f"| {labels[name]} | {f(o.get('rate'))} | "
                  f"{f(o.get('achieved_rate'))} | {f(r['latency_count'])} | "
                  f"{f(L['p50'])} | {f(L['p90'])} | {f(L['p99'])} | "
                  f"{f(L['max'])} |")
    md.append("")
    md.append("### Ratios and targets\n")
    md.append("| figure | value | target |")
    md.append("|---|---:|---|")
    tg = {"enricher_vs_spacy_articles_per_second":
          ("enricher bench ÷ spaCy, articles/s per core", "≥ 100×"),
          "enricher_vs_spacy_cpu_per_article":
          ("spaCy ÷ enricher, CPU per article", ""),
          "e2e_vs_pipe": ("one worker end to end ÷ its own pipe mode", "≥ 70 %"),
          "e2e_vs_bench": ("one worker end to end ÷ `enricher bench`", ""),
          "e2e_vs_ceiling": ("enricher run ÷ pass-through ceiling", ""),
          "e2e_eos_vs_ceiling": ("enricher run --exactly-once ÷ ceiling", ""),
          "e2e_vs_peer": ("enricher run ÷ Python peer worker", ""),
          "e2e_eos_vs_peer": ("enricher run --exactly-once ÷ peer", "")}
    for k, (label, target) in tg.items():
        if k in t:
            v = t[k]
            s = f"{v:.0f}×" if v >= 3 else f"{100 * v:.0f} %"
            md.append(f"| {label} | {s} | {target} |")
    if R["e2e_sh"]:
        md.append("")
        md.append("`tests/bench/e2e.sh` in the same run (one thread):\n")
        md.append("```")
        md.append(R["e2e_sh"].rstrip())
        md.append("```")
    if R["soak"]:
        s = R["soak"]
        md.append("")
        md.append(f"Soak ({R['soak_source']}): {s['messages']:,} messages, "
                  f"RSS {s['rss_mb_at_100k']} MB "
                  f"at 100,000 and {s['rss_mb_at_end']} MB at the end "
                  f"({100 * s['growth_100k_to_end']:+.1f} %), peak "
                  f"{s['peak_rss_mb']} MB.")
    with open(os.path.join(res, "results.md"), "w") as fp:
        fp.write("\n".join(md) + "\n")
    print("\n".join(md))

    # The plots.
    bars = []
    if spacy:
        bars.append(("spaCy alone", spacy["articles_per_second"]))
    if "peer" in e2e:
        bars.append(("peer worker", e2e["peer"]["messages_per_second"]))
    for label, r in (("enricher bench", bench),
                     ("enricher bench rules", rules),
                     ("enricher pipe", pipe)):
        if r:
            bars.append((label, r["articles_per_second"]))
    for name, label in (("enricher", "enricher run"),
                        ("enricher_eos", "enricher run EOS"),
                        ("passthrough", "pass-through")):
        if name in e2e:
            bars.append((label, e2e[name]["messages_per_second"]))
    with open(os.path.join(raw, "throughput.dat"), "w") as fp:
        for i, (label, v) in enumerate(bars):
            fp.write(f'{i} "{label}" {v:.2f}\n')
    gp = f"""
set terminal pngcairo size 900,480 font ",10" noenhanced
set output "{res}/throughput.png"
set title "Articles per second, one worker / one thread (log scale)"
set style fill solid 0.7
set boxwidth 0.6
set logscale y
set yrange [1:300000]
set grid ytics
set xtics rotate by -25
unset key
plot "{raw}/throughput.dat" using 1:3:xtic(2) with boxes lc rgb "#3070b0", \\
     "" using 1:($3*1.25):(sprintf("%.0f",$3)) with labels
"""
    series = [(n, os.path.join(raw, f"lat_{n}.series")) for n in
              ("passthrough", "enricher", "enricher_eos", "enricher_low",
               "peer")]
    series = [(n, p) for n, p in series if os.path.exists(p)
              and os.path.getsize(p)]
    for n, p in series:
        vals = sorted(float(l.split()[1]) for l in open(p))
        with open(os.path.join(raw, f"lat_{n}.cdf"), "w") as fp:
            for i, v in enumerate(vals):
                fp.write(f"{max(v, 0.1):.1f} {(i + 1) / len(vals):.5f}\n")
    if series:
        names = {"passthrough": "pass-through", "enricher": "enricher run",
                 "enricher_eos": "enricher run EOS",
                 "enricher_low": "enricher run (peer's load)",
                 "peer": "Python peer"}
        plots = ", ".join(
            f'"{raw}/lat_{n}.cdf" using 1:2 with lines lw 2 '
            f'title "{names[n]}"' for n, _ in series)
        gp += f"""
set terminal pngcairo size 900,480 font ",10" noenhanced
set output "{res}/latency.png"
set title "End-to-end latency at a fixed offered load (CDF)"
unset logscale
set logscale x
set xlabel "send → arrival at a read_committed consumer (ms, log scale)"
set ylabel "fraction of messages"
set yrange [0:1]
set xrange [*:*]
set xtics norotate
set key bottom right
set grid
plot {plots}
"""
    with open(os.path.join(raw, "plots.gp"), "w") as fp:
        fp.write(gp)
    plots = os.path.join(raw, "plots.gp")
    old = [n for n in ("throughput.png", "latency.png")
           if os.path.exists(os.path.join(res, n))]
    stale = (f"; {' and '.join(old)} in {res} "
             f"{'are' if len(old) > 1 else 'is'} NOT this run's"
             if old else "")
    if not shutil.which("gnuplot"):
        print(f"\nreport.py: plots skipped: gnuplot is not installed "
              f"(Debian: apt-get install gnuplot-nox, then "
              f"`gnuplot {plots}`){stale}. The tables above are written.",
              file=sys.stderr)
        return
    r = subprocess.run(["gnuplot", plots])
    if r.returncode != 0:
        print(f"\nreport.py: plots skipped: gnuplot {plots} exited with "
              f"{r.returncode}{stale}. The tables above are written.",
              file=sys.stderr)


if __name__ == "__main__":
    main()
