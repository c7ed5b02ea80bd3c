#!/usr/bin/env python3
"""Proves that a chaos run lost nothing (tests/chaos/chaos.sh).

usage: check.py alo|eos INPUT_TOPIC in.tsv out.tsv dlq.tsv [--expect N]

in.tsv:  partition, offset, key of every input (kcat '%p\\t%o\\t%k\\n');
         keys are article:<n> or poison:<expected reason>:<n>.
out.tsv: partition, offset, headers of every record a read_committed
         reader sees (kcat '%p\\t%o\\t%h\\n').
dlq.tsv: partition, offset, key, headers of every dead letter.

Records and dead letters name their input in the enricher-source-topic,
-partition and -offset headers. The proof, per input offset:
  - alo: at least one record or dead letter; eos: exactly one;
  - an article input has records only, a poison input dead letters only,
    each with the reason its key names in the enricher-error header (and
    an enricher-error-message);
  - nothing names an input that does not exist (or another topic);
  - with --expect N, the input topic holds N inputs.
Prints the accounting and exits 1 on any violation.
"""
import collections
import sys


def rows(path, ncols):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                parts = line.split("\t", ncols - 1)
                if len(parts) == ncols:
                    yield parts


def headers(h):
    out = {}
    for kv in h.split(","):
        if "=" in kv:
            k, v = kv.split("=", 1)
            out.setdefault(k, v)
    return out


def main():
    args = sys.argv[1:]
    expect = None
    if "--expect" in args:
        i = args.index("--expect")
        expect = int(args[i + 1])
        del args[i:i + 2]
    mode, topic, inp, outp, dlqp = args
    inputs = {}
    for p, o, k in rows(inp, 3):
        inputs[(int(p), int(o))] = k
    errors = []
    if expect is not None and len(inputs) != expect:
        errors.append("the input topic holds %d inputs, not %d"
                      % (len(inputs), expect))
    outs = collections.Counter()
    dead = collections.Counter()
    unknown = 0
    for kind, path, ncols in (("record", outp, 3), ("dead letter", dlqp, 4)):
        for parts in rows(path, ncols):
            hd = headers(parts[-1])
            try:
                src = (int(hd["enricher-source-partition"]),
                       int(hd["enricher-source-offset"]))
            except (KeyError, ValueError):
                errors.append("%s %s/%s has no source headers"
                              % (kind, parts[0], parts[1]))
                continue
            if hd.get("enricher-source-topic") != topic or src not in inputs:
                unknown += 1
                if unknown <= 5:
                    errors.append("%s %s/%s names an unknown input %s %r"
                                  % (kind, parts[0], parts[1],
                                     hd.get("enricher-source-topic"), src))
                continue
            key = inputs[src]
            if kind == "record":
                outs[src] += 1
                if not key.startswith("article:"):
                    errors.append("poison input %r (%s) got a record"
                                  % (key, src))
            else:
                dead[src] += 1
                want = key.split(":")[1] if key.startswith("poison:") else None
                if want is None:
                    errors.append("article %r (%s) dead-lettered: %s"
                                  % (key, src, hd.get("enricher-error")))
                elif hd.get("enricher-error") != want:
                    errors.append("poison %r (%s): reason %r, expected %r"
                                  % (key, src, hd.get("enricher-error"), want))
                elif not hd.get("enricher-error-message"):
                    errors.append("poison %r: no enricher-error-message" % key)
    missing = [s for s in inputs if outs[s] + dead[s] == 0]
    multi = [s for s in inputs if outs[s] + dead[s] > 1]
    poison = sum(1 for k in inputs.values() if k.startswith("poison:"))
    if missing:
        errors.append("%d input(s) without any output, e.g. %s"
                      % (len(missing), sorted(missing)[:5]))
    if mode == "eos" and multi:
        errors.append("%d input(s) seen more than once by a read_committed "
                      "reader, e.g. %s" % (len(multi), sorted(multi)[:5]))
    extra = sum(outs.values()) + sum(dead.values()) - len(inputs) + len(missing)
    print("check %s: %d inputs (%d poison); %d records, %d dead letters; "
          "%d missing, %d with duplicates (%d extra outputs), %d unknown"
          % (mode, len(inputs), poison, sum(outs.values()),
             sum(dead.values()), len(missing), len(multi), extra, unknown))
    for e in errors[:30]:
        print("  FAIL: " + e)
    if not errors:
        print("check %s: PASS (%s)" % (mode, "every input at least once"
              if mode == "alo" else "every input exactly once"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
