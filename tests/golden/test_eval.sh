#!/usr/bin/env bash
# `enricher eval`: scores on small hand-made files with known answers, the
# JSON form, and (when ../shared is present) the quality targets on the
# development sets, so a change that costs accuracy fails here:
#   CoNLL-2003 dev (eng.testa), rules only:  overall F1 >= 72
#   CoNLL-2003 dev with the shipped tagger:  overall F1 >= 85
#   IE-ER dev: F1 >= 80 for each of DATE, CARDINAL, MONEY, PERCENT
set -euo pipefail
: "${ENRICHER:?}" "${ENR_SOURCE_DIR:?}"
data=$ENR_SOURCE_DIR/tests/data
fail() { echo "FAIL: $*" >&2; exit 1; }

"$ENRICHER" eval --model none --json --format conll "$data/tiny.conll" > /tmp/enr-eval.$$ ||
  fail "eval conll exited non-zero"
python3 - /tmp/enr-eval.$$ <<'PY' || fail "tiny.conll scores"
import json, sys
r = json.load(open(sys.argv[1]))
o = r["overall"]
assert o["tp"] + o["fn"] == 4, o            # four gold spans
assert o["recall"] >= 75, o                 # Merkel, Paris, UN, French
assert set(r["types"]) >= {"PER", "LOC", "ORG", "MISC"}, r["types"].keys()
PY
"$ENRICHER" eval --json --types PERCENT,MONEY,DATE,CARDINAL "$data/tiny_spans.jsonl" > /tmp/enr-eval.$$ ||
  fail "eval spans exited non-zero"
python3 - /tmp/enr-eval.$$ <<'PY' || fail "tiny_spans scores"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["overall"]["tp"] + r["overall"]["fn"] == 5, r["overall"]
for t in ("PERCENT", "MONEY", "CARDINAL"):
    assert r["types"][t]["f1"] == 100, (t, r["types"][t])
PY
# A spans file then a CoNLL file: each is scored with its own types (the
# spans file's gold types must not filter the CoNLL one).
"$ENRICHER" eval --model none --json "$data/tiny_spans.jsonl" "$data/tiny.conll" > /tmp/enr-eval.$$ ||
  fail "eval of mixed files exited non-zero"
python3 - /tmp/enr-eval.$$ <<'PY' || fail "mixed files scores"
import json, sys
r = json.load(open(sys.argv[1]))
assert set(r["types"]) >= {"PER", "LOC", "ORG", "MISC", "PERCENT"}, r["types"].keys()
assert r["types"]["PER"]["tp"] + r["types"]["PER"]["fn"] >= 1, r["types"]["PER"]
PY
rm -f /tmp/enr-eval.$$
"$ENRICHER" eval --format conll /nonexistent 2>/dev/null && fail "missing file accepted"

shared=${ENR_SHARED_DIR:-$ENR_SOURCE_DIR/../shared}/data
if [ ! -f "$shared/conll2003/eng.testa" ]; then
  echo "eval: shared data absent, targets not checked (skipped)"; exit 77
fi
f1() { python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["overall"]["f1"] if len(sys.argv)<2 else r["types"][sys.argv[1]]["f1"])' "$@"; }
rules=$("$ENRICHER" eval --model none --json --format conll "$shared/conll2003/eng.testa" | f1)
echo "CoNLL dev, rules: F1 $rules"
python3 -c "import sys; sys.exit(0 if $rules >= 72 else 1)" || fail "rules F1 $rules < 72"
if [ -f "$ENR_SOURCE_DIR/resources/model/conll03.model" ]; then
  tagger=$("$ENRICHER" eval --model auto --json --format conll "$shared/conll2003/eng.testa" | f1)
  echo "CoNLL dev, tagger: F1 $tagger"
  python3 -c "import sys; sys.exit(0 if $tagger >= 85 else 1)" || fail "tagger F1 $tagger < 85"
fi
"$ENRICHER" eval --json --types DATE,CARDINAL,MONEY,PERCENT "$shared/numeric/ieer_dev.jsonl" > /tmp/enr-ieer.$$
for t in DATE CARDINAL MONEY PERCENT; do
  v=$(f1 $t < /tmp/enr-ieer.$$)
  echo "IE-ER dev $t: F1 $v"
  python3 -c "import sys; sys.exit(0 if $v >= 80 else 1)" || { rm -f /tmp/enr-ieer.$$; fail "$t F1 $v < 80"; }
done
rm -f /tmp/enr-ieer.$$
echo "eval: all checks passed"
