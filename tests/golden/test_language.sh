#!/usr/bin/env bash
# Language policy and duplicates in `enricher pipe`: every record names its
# language; an article in a language outside --languages keeps its record
# (language, fingerprint, language-independent statistics) without English
# entities, keywords or readability, and meta.skipped says why; with
# --other-languages dlq it is dead-lettered as unsupported_language;
# --languages all runs every stage; an unknown code is a configuration error.
# Copies are marked in input order with the first article's id.
set -euo pipefail
: "${ENRICHER:?}" "${ENR_SOURCE_DIR:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

python3 - "$t/in.jsonl" <<'PY'
import json, sys
en = ("The Prime Minister, Boris Johnson, met the President of France, Emmanuel Macron, in Paris on "
      "Tuesday to discuss a trade agreement worth £2.5bn. Officials said talks would resume in "
      "London next month.\n\nThe Bank of England kept interest rates at 0.5% on Thursday, "
      "saying that inflation had fallen to 2.1% in March.")
fr = ("Le président de la République, Emmanuel Macron, a rencontré mardi à Paris le Premier "
      "ministre britannique pour discuter d'un accord commercial. Les responsables ont indiqué "
      "que les négociations reprendraient le mois prochain à Londres.\n\nLa Banque de France a "
      "maintenu ses prévisions de croissance pour l'année, malgré la hausse des prix de l'énergie.")
de = ("Die Bundesregierung hat am Mittwoch in Berlin einen neuen Haushaltsentwurf vorgelegt. "
      "Der Finanzminister sagte, die Ausgaben für Bildung und Forschung würden im kommenden Jahr "
      "deutlich steigen.")
ru = ("Правительство России в среду представило новый проект бюджета. Министр финансов заявил, "
      "что расходы на образование в следующем году значительно вырастут.")
rows = [
    {"id": "en-1", "title": "Johnson meets Macron in Paris", "body": en},
    {"id": "fr-1", "title": "Macron reçoit le Premier ministre", "body": fr},
    {"id": "de-1", "title": "Neuer Haushalt", "body": de},
    {"id": "ru-1", "title": "Новый бюджет", "body": ru},
    # Copies: a re-send under another id, a new headline with boilerplate,
    # curly quotes and dashes.
    {"id": "en-2", "title": "Johnson meets Macron in Paris", "body": en},
    {"id": "en-3", "title": "Leaders meet", "body": "Advertisement\n\n" + en.replace("'", "\u2019") +
     "\n\nCopyright the agency. All rights reserved."},
    {"id": "fr-2", "title": "Accord", "body": fr},
]
with open(sys.argv[1], "w") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY

"$ENRICHER" pipe --no-timestamps "$t/in.jsonl" >"$t/out" 2>"$t/err" || { cat "$t/err"; fail "pipe failed"; }
grep -q '7 records, 0 errors; 3 duplicates' "$t/err" || fail "summary: $(tail -1 "$t/err")"
python3 - "$t/out" <<'PY' || fail "records"
import json, sys
recs = {r["id"]: r for r in map(json.loads, open(sys.argv[1]))}
lang = {k: (r["language"]["code"], r["language"]["script"]) for k, r in recs.items()}
assert lang["en-1"] == ("en", "Latn") and lang["fr-1"] == ("fr", "Latn"), lang
assert lang["de-1"] == ("de", "Latn") and lang["ru-1"] == ("ru", "Cyrl"), lang
for k, r in recs.items():
    assert 0 <= r["language"]["confidence"] <= 1, r["language"]
    assert len(r["fingerprint"]["simhash"]) == 16, r["fingerprint"]
en, fr = recs["en-1"], recs["fr-1"]
assert en["entities"] and en["keywords"] and en["stats"]["flesch_reading_ease"] is not None
assert "skipped" not in en["meta"], en["meta"]
for k in ("fr-1", "de-1", "ru-1"):
    r = recs[k]
    assert r["entities"] == [] and r["keywords"] == [], (k, r["entities"], r["keywords"])
    assert r["stats"]["flesch_reading_ease"] is None and r["stats"]["syllables"] is None, r["stats"]
    assert r["stats"]["words"] > 10 and r["stats"]["sentences"] >= 1, r["stats"]
    sk = r["meta"]["skipped"]
    assert "names" in sk["stages"] and "readability" in sk["stages"], sk
    # tone, places and quotations are English-only too: null, and said so.
    assert r["tone"] is None and r["quotes"] is None, (r["tone"], r["quotes"])
    assert {"tone", "geo", "quotes"} <= set(sk["stages"]), sk
    assert r["language"]["code"] in sk["reason"], sk
dup = {k: r["duplicate"] for k, r in recs.items()}
assert dup["en-1"] is None and dup["fr-1"] is None and dup["de-1"] is None, dup
assert dup["en-2"] == {"of": "en-1", "similarity": 1, "kind": "exact"}, dup["en-2"]
assert dup["en-3"]["of"] == "en-1" and dup["en-3"]["kind"] == "near", dup["en-3"]
assert dup["fr-2"]["of"] == "fr-1", dup["fr-2"]
PY

# Byte-identical replays, also with threads.
"$ENRICHER" pipe --no-timestamps -t 2 "$t/in.jsonl" >"$t/out2" 2>/dev/null
cmp -s "$t/out" "$t/out2" || fail "a second run (2 threads) differs"

# --dedup-window 0: no marks.
"$ENRICHER" pipe --no-timestamps --dedup-window 0 "$t/in.jsonl" >"$t/out3" 2>"$t/err3"
python3 -c '
import json, sys
assert all(json.loads(l)["duplicate"] is None for l in open(sys.argv[1]))' "$t/out3" ||
    fail "--dedup-window 0 still marked duplicates"

# --other-languages dlq.
set +e
"$ENRICHER" pipe --no-timestamps --other-languages dlq --dlq "$t/dlq" "$t/in.jsonl" >"$t/out4" 2>"$t/err4"
rc=$?
set -e
[ "$rc" = 1 ] || fail "exit status $rc with dead-lettered languages"
[ "$(wc -l <"$t/out4")" = 3 ] || fail "expected the 3 English records, got $(wc -l <"$t/out4")"
python3 - "$t/dlq" <<'PY' || fail "dead letters"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert sorted(r["reason"] for r in rows) == ["unsupported_language"] * 4, rows
assert all("not in --languages" in r["error"] for r in rows), rows
PY

# --languages all: every stage on every article.
"$ENRICHER" pipe --no-timestamps --languages all "$t/in.jsonl" >"$t/out5" 2>/dev/null
python3 -c '
import json, sys
assert all("skipped" not in json.loads(l)["meta"] for l in open(sys.argv[1]))' "$t/out5" ||
    fail "--languages all skipped stages"
# --languages en,fr: French gets its stages.
"$ENRICHER" pipe --no-timestamps --languages en,fr "$t/in.jsonl" >"$t/out6" 2>/dev/null
python3 -c '
import json, sys
r = {x["id"]: x for x in map(json.loads, open(sys.argv[1]))}
assert "skipped" not in r["fr-1"]["meta"] and "skipped" in r["de-1"]["meta"]' "$t/out6" ||
    fail "--languages en,fr"

# An unknown code is refused before any input is read.
set +e
"$ENRICHER" pipe --languages en,xx "$t/in.jsonl" >/dev/null 2>"$t/err7"
rc=$?
set -e
[ "$rc" = 2 ] || fail "--languages en,xx: exit $rc, expected 2"
grep -q -- '--languages: "xx"' "$t/err7" || fail "no clear error: $(cat "$t/err7")"
echo "PASS"
