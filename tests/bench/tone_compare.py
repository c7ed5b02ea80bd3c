#!/usr/bin/env python3
"""Compares enricher's tone scores with vaderSentiment 3.3.2's.

Picks N sentences deterministically from a JSON-lines file of articles
(each "body" split into paragraphs at newlines and into sentences after
. ! ? followed by white space; every k-th sentence, k = total // N), scores
them with vaderSentiment in this process and with tone_text (one process
for all), and prints the share whose compound agrees within a tolerance,
and the sentences that differ. Exit status: 0 when the share reaches
--min-agree, 1 otherwise.

Run with the venv that has vaderSentiment (tests/bench/requirements-tone.txt):
  /work/venvs/tone/bin/python tests/bench/tone_compare.py \
      --tool build/bin/tone_text ../shared/data/news/bbc.jsonl
"""
import argparse
import json
import re
import subprocess
import sys

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

SPLIT = re.compile(r"(?<=[.!?])\s+")


def sentences(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            body = json.loads(line).get("body") or ""
            for para in body.split("\n"):
                for s in SPLIT.split(para.strip()):
                    if s.strip():
                        out.append(s.strip())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--tool", required=True)
    ap.add_argument("--resources", default=None)
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--tolerance", type=float, default=0.001)
    ap.add_argument("--min-agree", type=float, default=0.99)
    ap.add_argument("--show", type=int, default=20,
                    help="differing sentences listed")
    a = ap.parse_args()

    allsent = sentences(a.data)
    k = max(1, len(allsent) // a.n)
    picked = allsent[::k][: a.n]

    cmd = [a.tool] + (["--resources", a.resources] if a.resources else [])
    inp = "".join(json.dumps(s) + "\n" for s in picked)
    res = subprocess.run(cmd, input=inp, capture_output=True, text=True,
                         check=True)
    ours = [json.loads(l) for l in res.stdout.splitlines()]
    if len(ours) != len(picked):
        sys.exit("tone_text answered %d of %d" % (len(ours), len(picked)))

    vader = SentimentIntensityAnalyzer()
    agree = exact = 0
    diffs = []
    for s, o in zip(picked, ours):
        r = vader.polarity_scores(s)
        if abs(o["compound"] - r["compound"]) <= a.tolerance:
            agree += 1
        else:
            diffs.append((abs(o["compound"] - r["compound"]), s,
                          o["compound"], r["compound"]))
        if o["rounded"] == [r["compound"], r["pos"], r["neg"], r["neu"]]:
            exact += 1
    n = len(picked)
    print("sentences: %d (every %d-th of %d)" % (n, k, len(allsent)))
    print("compound within %g: %d (%.2f%%)" % (a.tolerance, agree,
                                               100.0 * agree / n))
    print("all four rounded scores identical: %d (%.2f%%)" %
          (exact, 100.0 * exact / n))
    diffs.sort(key=lambda d: -d[0])
    for d, s, mine, ref in diffs[: a.show]:
        print("| %.4f | %.4f | %.4f | %s |" % (d, mine, ref,
                                                s.replace("|", "\\|")))
    return 0 if agree >= a.min_agree * n else 1


if __name__ == "__main__":
    sys.exit(main())
