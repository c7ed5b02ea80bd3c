#!/usr/bin/env bash
# Schema test: every record `enricher pipe` writes for the test articles
# (tests/data/*.json, tests/data/samples/*.json, plain text, the article
# modes) and for the first 200 BBC articles of the shared data (when
# present) must validate against resources/schema/record.schema.json and
# pass the checks a schema cannot express (offsets cut out the entity's
# text, counts, keyword order; deploy/examples/python-consumer/
# enricher_schema.py). The schemas must themselves be valid, reject broken
# records, and name every dead-letter reason the program has.
# Needs Python 3 with jsonschema (Debian: python3-jsonschema); skips without.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1 # No __pycache__ in the source tree.
: "${ENRICHER:?path of the enricher binary}" "${ENR_SOURCE_DIR:?}"
shared=${ENR_SHARED_DIR:-$ENR_SOURCE_DIR/../shared}
data=$ENR_SOURCE_DIR/tests/data
lib=$ENR_SOURCE_DIR/deploy/examples/python-consumer

# The first Python that has jsonschema (a pyenv python3 may lack Debian's).
py=
for cand in python3 /usr/bin/python3; do
        if command -v "$cand" >/dev/null &&
           "$cand" -c 'import jsonschema' 2>/dev/null; then
                py=$cand
                break
        fi
done
if [ -z "$py" ]; then
        echo "SKIP: no python3 with jsonschema (apt-get install python3-jsonschema)"
        exit 77
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The test articles as JSON Lines: one object per .json file, every line of
# a .jsonl file.
"$py" - "$out/articles.jsonl" "$data"/*.json "$data"/samples/*.json <<'PY'
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        docs = [json.loads(text)] if path.endswith(".json") else \
            [json.loads(l) for l in text.splitlines() if l.strip()]
        for doc in docs:
            if isinstance(doc, dict):
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")
PY
ninputs=$(wc -l < "$out/articles.jsonl")
[ "$ninputs" -ge 1 ] || { echo "FAIL: no test articles in $data"; exit 1; }

# Plain text: one article per line.
printf '%s\n' \
  'Talks resume in Geneva. Negotiators from Iran and the United States met in Geneva on Tuesday, officials said, and agreed to meet again in March. About 2,000 people protested outside.' \
  'Shares in Acme Corp rose 4.5% to $12.30 on Monday after the company said it would cut 300 jobs.' \
  > "$out/plain.txt"

runs=0
run() { # NAME ARGS... : pipe the given input into out/NAME.jsonl
        local name=$1; shift
        local rc=0
        "$ENRICHER" pipe "$@" > "$out/$name.jsonl" 2> "$out/$name.err" || rc=$?
        if [ "$rc" -ne 0 ]; then
                # Exit 1 means some lines were refused; they are reported.
                if [ "$rc" -ne 1 ]; then
                        echo "FAIL: enricher pipe $* exited $rc"; cat "$out/$name.err"; exit 1
                fi
                echo "note: enricher pipe $name refused some lines:"; head -5 "$out/$name.err"
        fi
        runs=$((runs + 1))
}
run full "$out/articles.jsonl"
run nobody --article no-body "$out/articles.jsonl"
run none --article none --no-timestamps "$out/articles.jsonl"
run text --input-format text "$out/plain.txt"
bbc=$shared/data/news/bbc.jsonl
if [ -r "$bbc" ]; then
        head -n 200 "$bbc" > "$out/bbc-in.jsonl"
        run bbc "$out/bbc-in.jsonl"
else
        echo "note: $bbc absent, BBC articles not checked"
fi

PYTHONPATH=$lib "$py" - "$out" "$ENR_SOURCE_DIR" <<'PY'
import copy, glob, json, os, re, sys
import enricher_schema

out, src = sys.argv[1], sys.argv[2]
v = enricher_schema.Validator(os.path.join(src, "resources", "schema"))
failures = []
total = 0
sample = None
for path in sorted(glob.glob(os.path.join(out, "*.jsonl"))):
    name = os.path.basename(path)[:-6]
    if name in ("articles", "bbc-in"):
        continue
    n = 0
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            n += 1
            try:
                rec = json.loads(line)
            except ValueError as e:
                failures.append("%s:%d: not JSON: %s" % (name, lineno, e))
                continue
            for err in v.check_record(rec)[:5]:
                failures.append("%s:%d (id %r): %s" % (name, lineno, rec.get("id"), err))
            if name == "full" and sample is None and rec["entities"] and rec.get("article"):
                sample = rec
            if name == "none" and "article" in rec:
                failures.append("%s:%d: --article none but the record has an article" % (name, lineno))
            if name == "nobody" and isinstance(rec.get("article"), dict) and "body" in rec["article"]:
                failures.append("%s:%d: --article no-body but the article has a body" % (name, lineno))
            if name in ("full", "nobody", "bbc", "text") and "processed_at" not in rec["meta"]:
                failures.append("%s:%d: no meta.processed_at" % (name, lineno))
            if name == "none" and "processed_at" in rec["meta"]:
                failures.append("%s:%d: meta.processed_at with --no-timestamps" % (name, lineno))
    if n == 0:
        failures.append("%s: enricher pipe wrote no records" % name)
    total += n
    print("%-7s %4d records checked" % (name, n))

# The schema must not be vacuous: broken copies of a real record fail.
if sample is None:
    failures.append("no record with entities to mutate")
else:
    def broken(desc, mutate):
        rec = copy.deepcopy(sample)
        mutate(rec)
        if not v.check_record(rec):
            failures.append("schema accepts a record with " + desc)
    e0 = lambda r: r["entities"][0]
    broken("no id", lambda r: r.pop("id"))
    broken("an unknown top-level key", lambda r: r.update(extra=1))
    broken("schema 2", lambda r: r.update(schema=2))
    broken("an unknown entity type", lambda r: e0(r).update(type="THING"))
    broken("a string count", lambda r: e0(r).update(count="1"))
    broken("a wrong count", lambda r: e0(r).update(count=e0(r)["count"] + 1))
    broken("a mention field 'summary'", lambda r: e0(r)["mentions"][0].update(field="summary"))
    broken("a shifted mention", lambda r: e0(r)["mentions"][0].update(
        start=e0(r)["mentions"][0]["start"] + 1, end=e0(r)["mentions"][0]["end"] + 1))
    broken("a negative offset", lambda r: e0(r)["mentions"][0].update(start=-1))
    broken("stats without words", lambda r: r["stats"].pop("words"))
    broken("a lowercase country code", lambda r: e0(r).update(type="GPE", code="gb"))
    broken("a currency on a PERSON", lambda r: e0(r).update(type="PERSON", currency="USD"))
    broken("a bad processed_at", lambda r: r["meta"].update(processed_at="yesterday"))
    broken("keywords out of order", lambda r: r.update(keywords=[{"word": "a", "count": 1}, {"word": "b", "count": 2}]))

# The headers' schemas against headers as cmd_run.c writes them.
good_dlq = {"enricher-error": "invalid_utf8", "enricher-error-message": "bad byte at 3",
            "enricher-source-topic": "articles", "enricher-source-partition": "2",
            "enricher-source-offset": "1041", "enricher-failed-at": "2026-11-27T05:20:37.123Z",
            "traceparent": "00-abc-def-01"}
if v.check_dead_letter_headers(good_dlq):
    failures.append("dead-letter schema rejects good headers: %s" % v.check_dead_letter_headers(good_dlq))
for k, bad in (("enricher-error", "oops"), ("enricher-source-offset", "-1"),
               ("enricher-failed-at", "1700000000000")):
    h = dict(good_dlq, **{k: bad})
    if not v.check_dead_letter_headers(h):
        failures.append("dead-letter schema accepts %s=%r" % (k, bad))
good_rec = {"enricher-schema": "1", "enricher-version": "0.1.0", "enricher-source-topic": "articles",
            "enricher-source-partition": "0", "enricher-source-offset": "7"}
if v.check_record_headers(good_rec):
    failures.append("record-headers schema rejects good headers")
if not v.check_record_headers(dict(good_rec, **{"enricher-schema": "2"})):
    failures.append("record-headers schema accepts enricher-schema 2")

# Every reason the program can dead-letter with is in the schema's enum,
# and the schema version agrees with the code.
with open(os.path.join(src, "common", "common.c"), encoding="utf-8") as f:
    code = f.read()
reasons = set(re.findall(r'\[ENR_(?:ERR_[A-Z0-9_]+)\]\s*=\s*\{"([a-z0-9_]+)"', code))
enum = set(v.dlq_headers.schema["properties"]["enricher-error"]["enum"])
if not reasons or reasons - enum:
    failures.append("dead-letter reasons missing from the schema: %s" % sorted(reasons - enum))
with open(os.path.join(src, "include", "enricher", "common.h"), encoding="utf-8") as f:
    m = re.search(r"#define ENR_SCHEMA_VERSION (\d+)", f.read())
if not m or int(m.group(1)) != v.record.schema["properties"]["schema"]["const"]:
    failures.append("ENR_SCHEMA_VERSION and record.schema.json disagree")

for f in failures[:40]:
    print("FAIL:", f)
if failures:
    print("%d problems in %d records" % (len(failures), total))
    sys.exit(1)
print("ok: %d records valid" % total)
PY
