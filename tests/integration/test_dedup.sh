#!/usr/bin/env bash
# Duplicates across a group: two workers share a 4-partition topic; copies of
# articles (exact re-sends under other keys, new headlines with boilerplate,
# truncations) land on other partitions than their originals and are still
# marked, with the original's id; originals are not. After both workers stop,
# a new one rebuilds the index from the compacted <output>.fingerprints topic
# and still marks copies of articles it never saw. Finally, copies produced at
# the same moment to partitions of different workers: how many both come out
# as originals (the race the README states) is printed, not asserted.
source "$(dirname "$0")/lib.sh"
enr_need_broker

IN="dd-in-$ENR_RUN_ID"
OUT="dd-out-$ENR_RUN_ID"
G="dd-g-$ENR_RUN_ID"
enr_create_topic "$IN" 4
enr_create_topic "$OUT" 2

# Synthetic articles of random words (no two alike), and their copies:
# gen.py originals N FROM | gen.py copies N FROM TAG (ids copy-TAG-<kind>-i).
cat >"$ENR_TMP/gen.py" <<'PY'
import json, random, sys
mode, n, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tag = sys.argv[4] if len(sys.argv) > 4 else ""
words = ("minister council river harbour budget vote strike union market "
         "court judge energy price winter school hospital doctor rail road "
         "bridge police report museum film music league season coach player "
         "bank rate inflation export farmer harvest storm flood village city "
         "election party leader protest reform tax company profit share "
         "investor factory worker contract airline airport tourist hotel").split()
def body(i):
    r = random.Random(1000 + i)
    paras = []
    for _ in range(5):
        sents = []
        for _ in range(3):
            w = [r.choice(words) for _ in range(r.randint(9, 15))]
            sents.append(" ".join(w).capitalize() + ".")
        paras.append(" ".join(sents))
    return paras
for i in range(start, start + n):
    p = body(i)
    if mode == "originals":
        art = {"id": "orig-%d" % i, "title": "Story %d" % i, "body": "\n\n".join(p)}
        print("o-%d\t%s" % (i, json.dumps(art)))
        continue
    kinds = {
        "exact": ("Story %d" % i, p),
        "headline": ("A new headline for story %d" % i,
                     ["Advertisement: subscribe to our newsletter today."] + p +
                     ["Copyright the wire agency. All rights reserved."]),
        "trunc": ("Story %d" % i, p[:2]),
    }
    for kind, (title, paras) in kinds.items():
        art = {"id": "copy-%s-%s-%d" % (tag, kind, i), "title": title,
               "body": "\n\n".join(paras)}
        # Other keys than the original's: other partitions.
        print("c-%s-%s-%d\t%s" % (tag, kind, i, json.dumps(art)))
PY
gen() { python3 "$ENR_TMP/gen.py" "$@"; }

# Checks the records of OUT: every copy-TAG-* marked as a duplicate of
# orig-<i>, no orig-* marked. check TAG N.
check() {
    enr_dump "$OUT" >"$ENR_TMP/out.tsv"
    python3 - "$ENR_TMP/out.tsv" "$1" "$2" <<'PY' || enr_fail "duplicate marks ($1)"
import json, sys
tag, n = sys.argv[2], int(sys.argv[3])
recs = {}
for line in open(sys.argv[1], encoding="utf-8"):
    parts = line.rstrip("\n").split("\t", 4)
    if len(parts) == 5 and parts[4]:
        r = json.loads(parts[4])
        recs[r["id"]] = r
bad = []
copies = [k for k in recs if k.startswith("copy-%s-" % tag)]
if len(copies) != 3 * n:
    bad.append("expected %d copies, got %d" % (3 * n, len(copies)))
for k in copies:
    d = recs[k]["duplicate"]
    i = k.rsplit("-", 1)[1]
    if not d or d["of"] != "orig-%s" % i:
        bad.append("%s: duplicate %r, want of orig-%s" % (k, d, i))
    elif k.split("-")[2] == "exact" and d["kind"] != "exact":
        bad.append("%s: kind %r" % (k, d["kind"]))
for k, r in recs.items():
    if k.startswith("orig-") and r["duplicate"] is not None:
        bad.append("original %s marked %r" % (k, r["duplicate"]))
for b in bad[:20]:
    print("  " + b, file=sys.stderr)
print("%s: %d copies checked, %d problems" % (tag, len(copies), len(bad)))
sys.exit(1 if bad else 0)
PY
}

enr_worker w1 -i "$IN" -o "$OUT" -g "$G" --log-level info
W1=$WORKER_PID
enr_worker w2 -i "$IN" -o "$OUT" -g "$G" --log-level info
W2=$WORKER_PID
gen originals 40 0 | enr_produce "$IN"
enr_wait_count 40 "$OUT"
sleep 2 # the originals' fingerprints reach both workers' indexes
gen copies 40 0 a | enr_produce "$IN"
enr_wait_count 160 "$OUT"
check a 40
# Both workers enriched copies: the marks did cross workers.
for w in w1 w2; do
    grep -Eq "assigned [1-9][0-9]* partition" "$ENR_TMP/$w.log" ||
        enr_fail "$w was never assigned a partition"
done
enr_stop_worker "$W1" w1
enr_stop_worker "$W2" w2

enr_log "a new worker rebuilds the index from $OUT.fingerprints"
enr_worker w3 -i "$IN" -o "$OUT" -g "$G" --log-level info
W3=$WORKER_PID
gen copies 40 0 b | enr_produce "$IN"
enr_wait_count 280 "$OUT"
check b 40
grep -Eq "duplicate index: (1[2-9][0-9]|[2-9][0-9][0-9]) fingerprints" "$ENR_TMP/w3.log" ||
    enr_fail "w3 did not load the index: $(grep 'duplicate index' "$ENR_TMP/w3.log")"
enr_stop_worker "$W3" w3

enr_log "the race: pairs of copies produced at once to two workers"
enr_worker w4 -i "$IN" -o "$OUT" -g "$G"
W4=$WORKER_PID
enr_worker w5 -i "$IN" -o "$OUT" -g "$G"
W5=$WORKER_PID
sleep 8
# Each original right after its twin, in one stream: the pair is produced
# within milliseconds, mostly to partitions of different workers.
paste -d '\n' <(gen originals 100 1000 | sed 's/^o-/r1-/') \
    <(gen originals 100 1000 | sed 's/^o-/r2-/; s/"orig-/"twin-/') | enr_produce "$IN"
enr_wait_count 480 "$OUT"
enr_stop_worker "$W4" w4
enr_stop_worker "$W5" w5
enr_dump "$OUT" | python3 -c '
import json, sys
recs = {}
for line in sys.stdin:
    parts = line.rstrip("\n").split("\t", 4)
    if len(parts) == 5 and parts[4]:
        r = json.loads(parts[4]); recs[r["id"]] = r
both = sum(1 for i in range(1000, 1100)
           if recs.get("orig-%d" % i, {}).get("duplicate") is None
           and recs.get("twin-%d" % i, {}).get("duplicate") is None)
marked = sum(1 for i in range(1000, 1100)
             if (recs.get("orig-%d" % i, {}).get("duplicate") or {}).get("of") == "twin-%d" % i
             or (recs.get("twin-%d" % i, {}).get("duplicate") or {}).get("of") == "orig-%d" % i)
print("race: %d of 100 simultaneous pairs came out as two originals, %d marked" % (both, marked))
assert both + marked == 100, "a pair both marked, or marked wrongly"'
enr_check alo "$IN" "$OUT" "$IN.dlq"
echo "PASS"
