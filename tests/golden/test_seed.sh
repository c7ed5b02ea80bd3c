#!/usr/bin/env bash
# Golden test of the product's specification article: the record must name
# the expected people, places, organisations and numbers, with aliases,
# country codes and normalised values, take no sentence-initial common word
# for a name, and match the committed golden record byte for byte (apart
# from meta.processed_at, which --no-timestamps leaves out).
set -euo pipefail
: "${ENRICHER:?path of the enricher binary}" "${ENR_SOURCE_DIR:?}"
data=$ENR_SOURCE_DIR/tests/data
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), ensure_ascii=False))' \
  "$data/seed_article.json" > "$out/seed.jsonl"
"$ENRICHER" pipe --no-timestamps "$out/seed.jsonl" > "$out/record.json"

python3 - "$out/record.json" <<'PY'
import json, sys
rec = json.loads(open(sys.argv[1]).read())
fail = []
def ents(t):
    return {e["text"]: e for e in rec["entities"] if e["type"] == t}
people, gpe, org = ents("PERSON"), ents("GPE"), ents("ORG")
places = dict(gpe); places.update(ents("LOC"))
def need(cond, msg):
    if not cond: fail.append(msg)

assert rec["schema"] >= 1 and rec["id"] == "seed-0001"
for p in ["Hossein Amir Abdollahian", "Hakan Fidan", "Ebrahim Raisi"]:
    need(p in people, f"missing PERSON {p}")
need(any("Mohammed bin Abdulrahman bin Jassim Al Thani" in p for p in people),
     "missing PERSON Sheikh Mohammed bin Abdulrahman bin Jassim Al Thani")
for p in ["Iran", "Qatar", "Gaza", "Turkey", "Ankara", "Tel Aviv"]:
    need(p in places, f"missing place {p}")
need(any("Organisation of Islamic Cooperation" in o for o in org),
     "missing ORG Organisation of Islamic Cooperation")
need("Hamas" in org, "missing ORG Hamas")
need(any(o in org for o in ("UN", "United Nations")), "missing ORG UN")

# Aliases: short forms link to the full name.
abd = people.get("Hossein Amir Abdollahian", {})
need("Amir Abdollahian" in abd.get("aliases", []),
     "Amir Abdollahian is not an alias of Hossein Amir Abdollahian")
need(abd.get("count", 0) >= 4, "Hossein Amir Abdollahian mentions not merged")
raisi = people.get("Ebrahim Raisi", {})
need("Raisi" in raisi.get("aliases", []), "Raisi is not an alias of Ebrahim Raisi")
oic = [o for t, o in org.items() if "Organisation of Islamic Cooperation" in t]
need(oic and "OIC" in oic[0].get("aliases", []), "OIC is not an alias of the OIC")

# Country codes.
for name, code in [("Iran", "IR"), ("Qatar", "QA"), ("Turkey", "TR"), ("Ankara", "TR")]:
    need(places.get(name, {}).get("code") == code, f"{name} lacks code {code}")

# Numbers with normalised values.
nums = {}
for e in rec["entities"]:
    if e["type"] in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
        nums[e["text"]] = e
def has_value(v):
    return any(e.get("value") == v for e in nums.values())
for v in [130, 7000, 30000, 70457, 576000, 2000000]:
    need(has_value(v), f"missing number with value {v}")
c130 = [e for e in nums.values() if e.get("value") == 130]
need(c130 and c130[0].get("unit") == "captives", "130 lacks unit captives")
c30k = [e for e in nums.values() if e.get("value") == 30000]
need(c30k and c30k[0].get("approx") == "more_than", "30,000 lacks approx more_than")

# The dateline place is a field of the record.
dl = rec.get("dateline") or {}
need(dl.get("text") == "TEHRAN" and dl.get("code") == "IR", f"dateline {dl}")

# Dates resolved: October 7 is a DATE.
dates = ents("DATE")
need(any("October 7" in d for d in dates), "missing DATE October 7")

# No sentence-initial common words taken for names.
names = [e["text"] for e in rec["entities"]
         if e["type"] in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT")]
for w in ["Additionally", "Acknowledging", "Life", "During", "The"]:
    need(w not in names, f"common word {w!r} taken for a name")

# Mentions: offsets are code points into their field.
art = rec["article"]
for e in rec["entities"]:
    for m in e["mentions"]:
        text = art["title"] if m["field"] == "title" else art["body"]
        need(0 <= m["start"] < m["end"] <= len(text), f"bad offsets {m}")
for e in people.values():
    for m in e["mentions"]:
        text = art["title"] if m["field"] == "title" else art["body"]
        s = text[m["start"]:m["end"]]
        need(s == e["text"] or s in e.get("aliases", []),
             f"mention {s!r} is neither {e['text']!r} nor an alias")

need(rec["stats"]["words"] > 400 and rec["stats"]["sentences"] > 10, "stats look wrong")
need(rec["keywords"] and rec["keywords"][0]["word"] == "gaza", "top keyword is not gaza")
if fail:
    print("\n".join(fail)); sys.exit(1)
print("seed article: all expectations met")
PY

# Byte-for-byte golden record (regenerate with ENR_UPDATE_GOLDEN=1 after an
# intended change, and review the diff).
golden=$ENR_SOURCE_DIR/tests/golden/seed_article.expected.json
if [ "${ENR_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$out/record.json" "$golden"
fi
diff -u "$golden" "$out/record.json"
echo "seed article: golden record matches"
