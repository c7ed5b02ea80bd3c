#!/usr/bin/env python3
"""Accounts for every input of a worker run, per input partition and offset.

usage: check.py alo|eos INPUT_TOPIC in.tsv out.tsv dlq.tsv

Each .tsv holds "partition<TAB>offset<TAB>key<TAB>headers<TAB>value" lines
(kcat -f '%p\\t%o\\t%k\\t%h\\t%s\\n', read_committed). Outputs and dead letters
name their input in the enricher-source-partition/-offset headers (and
records in meta.source as well, which must agree). alo: every input appears
at least once; eos: exactly once. Either way nothing appears that is not an
input, and outputs of one input partition follow input order within each
output partition.
"""
import collections
import json
import sys


def rows(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            parts = line.split("\t", 4)
            if len(parts) < 5:
                continue
            yield parts


def headers(h):
    out = {}
    for kv in h.split(","):
        if "=" in kv:
            k, v = kv.split("=", 1)
            out[k] = v
    return out


def main():
    mode, topic, inp, outp, dlqp = sys.argv[1:6]
    inputs = set()
    for p, o, _k, _h, _v in rows(inp):
        inputs.add((int(p), int(o)))
    seen = collections.Counter()
    errors = []
    last = {}
    for kind, path in (("output", outp), ("dead letter", dlqp)):
        for p, o, _k, h, v in rows(path):
            hd = headers(h)
            if hd.get("enricher-source-topic") != topic:
                errors.append("%s %s/%s names topic %r" %
                              (kind, p, o, hd.get("enricher-source-topic")))
                continue
            src = (int(hd["enricher-source-partition"]),
                   int(hd["enricher-source-offset"]))
            if kind == "output":
                meta = json.loads(v).get("meta", {}).get("source", {})
                if (meta.get("partition"), meta.get("offset")) != src:
                    errors.append("output %s/%s: meta.source %r != headers %r"
                                  % (p, o, meta, src))
                # Order: within one output partition, inputs of one input
                # partition must come in rising offset order (a replay after
                # a crash may restart lower, hence only warn on ties).
                k = (int(p), src[0])
                if mode == "eos" and k in last and last[k] >= src[1]:
                    errors.append("output partition %s: input %s/%d after %d"
                                  % (p, src[0], src[1], last[k]))
                last[k] = src[1]
            seen[src] += 1
    missing = sorted(inputs - set(seen))
    extra = sorted(set(seen) - inputs)
    dups = sorted(s for s, n in seen.items() if n > 1)
    if missing:
        errors.append("%d input(s) never processed, e.g. %s" %
                      (len(missing), missing[:5]))
    if extra:
        errors.append("%d output(s) of unknown inputs, e.g. %s" %
                      (len(extra), extra[:5]))
    if mode == "eos" and dups:
        errors.append("%d input(s) processed more than once, e.g. %s" %
                      (len(dups), dups[:5]))
    print("check %s: %d inputs, %d outputs+dead letters, %d duplicated, "
          "%d missing" % (mode, len(inputs), sum(seen.values()), len(dups),
                          len(missing)))
    for e in errors:
        print("  " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
