#!/usr/bin/env bash
# Exact numeric values: `enricher pipe` on the 2,225 BBC articles of the
# shared data, and every numeric "value" and "value_max" of the records,
# read as the JSON text written (not only as the float it parses to):
#   - the text is the shortest that reads back to the same double (Python's
#     repr), or an integer written in full;
#   - it has at most 12 significant digits, unless the source text has as
#     many digits or a fraction that is not decimal ("two thirds");
#   - each mention written with digits ("£1.7m", "8.2bn euros", "0.7%",
#     "300 basis points", "50 cents", "4.464 million") has the value
#     recomputed here in decimal from its text: the double nearest to the
#     exact decimal, so binary noise such as 1700000.0000000002 fails.
# Skips (77) without the shared data.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
: "${ENRICHER:?path of the enricher binary}" "${ENR_SOURCE_DIR:?}"
shared=${ENR_SHARED_DIR:-$ENR_SOURCE_DIR/../shared}
bbc=$shared/data/news/bbc.jsonl
if [ ! -r "$bbc" ]; then
        echo "SKIP: $bbc is absent"
        exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$ENRICHER" pipe --no-timestamps --quiet "$bbc" > "$out/records.jsonl"

python3 - "$out/records.jsonl" <<'PY'
import json, re, sys
from decimal import Decimal


class Raw(str):
    """A JSON number kept as the text the record wrote."""


SCALE = {"hundred": 2, "thousand": 3, "million": 6, "billion": 9,
         "trillion": 12, "bn": 9, "mn": 6, "m": 6, "k": 3}
# Money and percent written with digits: a currency before, the numeral, a
# scale suffix or words, then a percent or currency word.
PREFIX = r"(?:US\$|U\.S\.\$|C\$|A\$|HK\$|S\$|NZ\$|\$|£|€|¥|₹|Rs\.?|RM|USD|EUR|GBP|JPY|CHF)"
SUFFIX = (r"dollars?|pounds?|sterling|euros?|yen|yuan|ringgit|rupees?|francs|"
          r"marks|roubles|rubles|shillings|cents|pence|dlrs|won|pesos|rand")
PERCENT = (r"%|percentage points?|per cent|percent|pct|basis points?")
MENTION = re.compile(
    r"^(?P<pre>" + PREFIX + r")? ?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<sfx>bn|mn|m|k)?"
    r"(?P<sc>(?:[ -](?:hundred|thousand|million|billion|trillion))*)"
    r"(?: ?(?P<pct>" + PERCENT + r")|[ -](?:of )?(?P<cur>" + SUFFIX + r"))?$",
    re.IGNORECASE)
NON_DECIMAL = re.compile(
    r"third|sixth|seventh|ninth|eleventh|twelfth|thirteenth|fourteenth|"
    r"fifteenth|seventeenth|eighteenth|nineteenth", re.IGNORECASE)


def expected(text, etype):
    """The exact decimal value of a mention written with digits, or None."""
    m = MENTION.match(text)
    if not m:
        return None
    d = Decimal(m["num"].replace(",", ""))
    exp = 0
    sfx = (m["sfx"] or "").lower()
    money = bool(m["pre"] or m["cur"])
    if sfx:
        if sfx in ("m", "k") and not money:
            return None  # "5m": a unit, not a scale.
        exp += SCALE[sfx]
    for w in m["sc"].replace("-", " ").split():
        exp += SCALE[w.lower()]
    pct = (m["pct"] or "").lower()
    if pct.startswith("basis"):
        exp -= 2
    cur = (m["cur"] or "").lower()
    if cur in ("cents", "pence"):
        exp -= 2
    if pct and etype != "PERCENT" or money and etype not in ("MONEY", "QUANTITY"):
        return None
    return d.scaleb(exp)


def sig_digits(s):
    t = Decimal(s).normalize().as_tuple()
    return len(t.digits)


records = [json.loads(l, parse_float=Raw, parse_int=Raw)
           for l in open(sys.argv[1], encoding="utf-8")]
values = recomputed = 0
bad_form, bad_digits, bad_value = [], [], []
for r in records:
    art = r["article"]
    for e in r["entities"]:
        texts = []
        for mn in e["mentions"]:
            field = art.get(mn["field"]) or ""
            texts.append(field[int(mn["start"]):int(mn["end"])])
        for key in ("value", "value_max"):
            s = e.get(key)
            if not isinstance(s, Raw):
                continue
            values += 1
            where = f'{r["id"]}: {e["type"]} {e["text"]!r} {key}={s}'
            v = float(s)
            if re.fullmatch(r"-?\d+", s):
                if int(s) != v:
                    bad_form.append(where)
            elif repr(v) != s:
                bad_form.append(where + f" (shortest: {v!r})")
            n = sig_digits(s)
            src = max(len(re.sub(r"\D", "", t)) for t in texts + [e["text"]])
            if n > 12 and n > src and not any(
                    NON_DECIMAL.search(t) for t in texts + [e["text"]]):
                bad_digits.append(where + f" ({n} significant digits)")
            if key != "value":
                continue
            for t in texts:
                x = expected(t, e["type"])
                if x is None:
                    continue
                recomputed += 1
                if float(x) != v:
                    bad_value.append(where + f" from {t!r}: exact {x}")

print(f"{len(records)} records, {values} numeric values, "
      f"{recomputed} mentions recomputed in decimal")
fail = False
for name, bad in (("not the shortest form", bad_form),
                  ("too many significant digits", bad_digits),
                  ("not the decimal value of the text", bad_value)):
    if bad:
        fail = True
        print(f"FAIL: {len(bad)} values {name}, e.g.:")
        for b in bad[:10]:
            print("  " + b)
if recomputed < 1000:
    fail = True
    print(f"FAIL: only {recomputed} mentions recomputed (the check is blind)")
sys.exit(1 if fail else 0)
PY
echo "values: every value is exact and written in its shortest form"
