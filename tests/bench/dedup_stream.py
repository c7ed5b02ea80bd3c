#!/usr/bin/env python3
"""Builds a labelled near-duplicate test stream (JSONL) from the BBC articles.

Every line: {"id", "title", "body", "ts" (ms), "copy_of": id|null, "kind"}.
- "original": each BBC article once, in a seeded random order, about 10
  minutes apart. A BBC article whose body equals an earlier one's is
  labelled copy_of that one, kind "bbc_exact" (BBC has 133 such bodies), or
  "bbc_exact_stale" (copy_of null, "twin_of" the earlier id) when it comes
  more than the window later.
- Copies of a random sample of originals, placed 1 to 60 hours after their
  original (inside the 72 h window), one kind each:
  exact (same title and body), headline (new title), boilerplate_before,
  boilerplate_after (1 to 3 generated sentences of 12 to 60 words),
  truncation (the first k of n paragraphs, 1 <= k < n), reorder (the
  paragraphs shuffled), edit (3 to 8 words replaced, inserted or deleted,
  numbers among them), typography (straight/curly quotes and apostrophes,
  hyphens/en/em dashes, spacing and line breaks changed), and combo (two of
  headline, boilerplate, edit, typography at once).
- "stale_copy": exact copies more than 80 h after their original (negatives:
  outside the window; "twin_of" the original, so that matching another copy
  of it still inside the window counts neither way).
- BBC's own near repeats, found by word alignment (difflib, see
  label_bbc_near): "bbc_near" (labelled copies), "bbc_near_stale" and
  "bbc_related" (twin_of only: neither right nor wrong when matched).
- Template look-alikes (negatives, copy_of null): families of generated
  reports that share their wording and differ in figures and names:
  weather ("Weather for <place>"), market (FTSE close and share moves, with
  a fixed data disclaimer), results (football results tables with a fixed
  preamble), rates (currency table with a fixed footer), and two where the
  fixed text is most of the body: lottery (numbers, then claiming rules)
  and notice (a company's figures, then a forward-looking-statements
  disclaimer).

The template vocabularies and the boilerplate sentences are drawn from
lists in this file; --seed changes every choice, so a second seed gives a
held-out stream of the same construction.

Usage: dedup_stream.py [--seed N] [--copies N] [--templates N]
                       [--edit-words MIN,MAX] [--boiler-sentences MIN,MAX]
                       OUT.jsonl
Reads $ENR_SHARED_DIR/data/news/bbc.jsonl (default ../shared beside the
repository); exits 77 when it is absent.
"""
import argparse
import json
import os
import random
import re
import sys

WINDOW_MS = 72 * 3600 * 1000
KINDS = ["exact", "headline", "boilerplate_before", "boilerplate_after",
         "truncation", "reorder", "edit", "typography", "combo"]

PLACES = ["London", "Manchester", "Birmingham", "Leeds", "Glasgow",
          "Edinburgh", "Cardiff", "Belfast", "Bristol", "Newcastle",
          "Liverpool", "Sheffield", "Aberdeen", "Plymouth", "Norwich",
          "Swansea", "Inverness", "York", "Exeter", "Brighton", "Oxford",
          "Cambridge", "Dundee", "Derby", "Leicester", "Nottingham"]
CONDITIONS = ["sunny spells", "light rain", "heavy showers", "cloudy skies",
              "patchy fog", "thunderstorms", "sleet", "clear skies",
              "drizzle", "strong winds"]
DIRECTIONS = ["north", "north-east", "east", "south-east", "south",
              "south-west", "west", "north-west"]
COMPANIES = ["Vodafone", "BP", "Shell", "Tesco", "Barclays", "HSBC",
             "Unilever", "GlaxoSmithKline", "AstraZeneca", "BT", "Rolls-Royce",
             "BAE Systems", "Diageo", "Marks & Spencer", "Sainsbury",
             "Lloyds TSB", "Rio Tinto", "Anglo American", "Prudential",
             "Aviva", "Reuters", "Cadbury Schweppes", "Boots", "Centrica",
             "National Grid", "Royal Bank of Scotland", "ITV", "BSkyB",
             "Pearson", "Reckitt Benckiser"]
REASONS = ["after a broker upgrade", "on bid speculation",
           "after a profit warning", "after results beat forecasts",
           "as oil prices rose", "as oil prices fell",
           "after a downgrade", "on takeover talk", "ahead of results",
           "after a director sold shares"]
TEAMS = ["Arsenal", "Chelsea", "Liverpool", "Everton", "Aston Villa",
         "Newcastle", "Tottenham", "Fulham", "Bolton", "Blackburn",
         "Charlton", "Middlesbrough", "Portsmouth", "Southampton",
         "Birmingham", "West Brom", "Norwich", "Crystal Palace",
         "Manchester City", "Manchester United"]
CURRENCIES = ["US dollar", "euro", "Japanese yen", "Swiss franc",
              "Canadian dollar", "Australian dollar", "Swedish krona",
              "Norwegian krone", "Danish krone", "Hong Kong dollar"]
BOILER = [
    "Follow us on Twitter for the latest {topic} news and analysis.",
    "This story was first published by {outlet} and is reproduced with "
    "permission.",
    "Copyright {year} {outlet}. All rights reserved. This material may not "
    "be published, broadcast, rewritten or redistributed.",
    "Sign up for our free {topic} newsletter to get the day's top stories "
    "delivered to your inbox every morning.",
    "Have you been affected by the issues raised in this story? Share your "
    "experiences with us by e-mail.",
    "Additional reporting by {name} in {place}.",
    "{outlet} is not responsible for the content of external websites.",
    "Click here to read more stories from our {topic} section, including "
    "live coverage, video and in-depth features.",
    "Advertisement. Continue reading the main story below.",
    "Related: {topic} latest, more from {outlet} and our most read "
    "stories of the week.",
]
OUTLETS = ["Daily Wire Service", "News Agency International", "The Courier",
           "Metro Press", "Global Newswire", "Evening Herald"]
TOPICS = ["business", "politics", "sport", "technology", "entertainment",
          "world"]
NAMES = ["Sarah Jones", "David Smith", "Anna Patel", "Tom Brown",
         "Li Wei", "Maria Garcia", "John Murphy", "Fatima Khan"]
EDIT_WORDS = ["reportedly", "also", "now", "still", "major", "new",
              "significant", "recent", "local", "senior", "officially",
              "announced", "said", "expected", "likely", "further"]


# Ranges of the copy transformations (options --edit-words and
# --boiler-sentences change them for stress tests).
EDIT_RANGE = (3, 8)
BOILER_RANGE = (1, 3)


def boilerplate(rng):
    n = rng.randint(*BOILER_RANGE)
    out = []
    for s in rng.sample(BOILER, n):
        out.append(s.format(topic=rng.choice(TOPICS),
                            outlet=rng.choice(OUTLETS),
                            year=rng.randint(2003, 2006),
                            name=rng.choice(NAMES),
                            place=rng.choice(PLACES)))
    return " ".join(out)


def paragraphs(body):
    return [p for p in re.split(r"\n\s*\n", body) if p.strip()]


def edit(rng, body):
    words = body.split(" ")
    n = rng.randint(*EDIT_RANGE)
    for _ in range(n):
        i = rng.randrange(len(words))
        op = rng.random()
        if op < 0.2 and any(c.isdigit() for c in words[i]):
            words[i] = re.sub(r"\d", lambda m: str(rng.randint(0, 9)),
                              words[i])
        elif op < 0.55:
            # Keep any line break glued to the word.
            lead = re.match(r"^\s*", words[i]).group(0)
            words[i] = lead + rng.choice(EDIT_WORDS)
        elif op < 0.8:
            words.insert(i, rng.choice(EDIT_WORDS))
        elif "\n" not in words[i] and len(words) > 20:
            del words[i]
    return " ".join(words)


def typography(rng, body):
    s = body
    if rng.random() < 0.8:
        # Straight to curly quotes and apostrophes.
        s = re.sub(r'"(?=\w)', "\u201c", s)
        s = s.replace('"', "\u201d")
        s = re.sub(r"(?<=\w)'(?=\w)", "\u2019", s)
        s = re.sub(r"'(?=\w)", "\u2018", s)
        s = s.replace("'", "\u2019")
    else:
        s = s.replace("\u201c", '"').replace("\u201d", '"')
        s = s.replace("\u2019", "'").replace("\u2018", "'")
    s = s.replace(" - ", rng.choice([" \u2013 ", " \u2014 ", " -- "]))
    s = re.sub(r"(?<=\d)-(?=\d)", "\u2013", s)
    s = s.replace("...", "\u2026")
    if rng.random() < 0.5:
        s = s.replace(". ", ".  ")
    if rng.random() < 0.5:
        s = s.replace("\n\n", "\n\n\n")
    return s


def make_copy(rng, art, kind, titles):
    title, body = art["title"], art["body"]
    paras = paragraphs(body)
    if kind == "exact":
        pass
    elif kind == "headline":
        title = rng.choice(titles)
    elif kind == "boilerplate_before":
        body = boilerplate(rng) + "\n\n" + body
    elif kind == "boilerplate_after":
        body = body + "\n\n" + boilerplate(rng)
    elif kind == "truncation":
        if len(paras) < 2:
            return None
        k = rng.randint(1, len(paras) - 1)
        body = "\n\n".join(paras[:k])
    elif kind == "reorder":
        if len(paras) < 3:
            return None
        order = list(range(len(paras)))
        while order == sorted(order):
            rng.shuffle(order)
        body = "\n\n".join(paras[i] for i in order)
    elif kind == "edit":
        body = edit(rng, body)
    elif kind == "typography":
        body = typography(rng, body)
    elif kind == "combo":
        for k in rng.sample(["headline", "boilerplate_before",
                             "boilerplate_after", "edit", "typography"], 2):
            title, body = make_copy(rng, {"title": title, "body": body}, k,
                                    titles)
    return title, body


def weather(rng, i):
    place = rng.choice(PLACES)
    hi = rng.randint(2, 28)
    lo = hi - rng.randint(3, 10)
    t = "Weather for %s" % place
    b = ("Weather for %s: %s this morning, turning to %s later. "
         "Highest temperature %dC, lowest %dC overnight.\n\n"
         "Winds %s at %d mph, gusting to %d mph. Chance of rain %d%%. "
         "Sunrise %d:%02d, sunset %d:%02d. UV index %d, pollen count %s.\n\n"
         "Outlook for %s: %s on %s, %s on %s with highs around %dC.\n\n"
         "Forecasts are provided by the national weather service and are "
         "updated every three hours. Temperatures are given in degrees "
         "Celsius." % (
             place, rng.choice(CONDITIONS), rng.choice(CONDITIONS), hi, lo,
             rng.choice(DIRECTIONS), rng.randint(3, 30), rng.randint(30, 60),
             rng.randint(0, 100), rng.randint(5, 7), rng.randint(0, 59),
             rng.randint(16, 21), rng.randint(0, 59), rng.randint(1, 8),
             rng.choice(["low", "moderate", "high"]), place,
             rng.choice(CONDITIONS), rng.choice(["Monday", "Tuesday"]),
             rng.choice(CONDITIONS), rng.choice(["Wednesday", "Thursday"]),
             rng.randint(5, 25)))
    return t, b


def market(rng, i):
    up = rng.random() < 0.5
    pts = rng.uniform(1, 80)
    lvl = rng.uniform(4200, 5200)
    comps = rng.sample(COMPANIES, 6)
    lines = []
    for c in comps:
        lines.append("Shares in %s %s %.1f%% to %dp %s." % (
            c, rng.choice(["rose", "fell", "gained", "slipped"]),
            rng.uniform(0.2, 9), rng.randint(50, 2500), rng.choice(REASONS)))
    b = ("The FTSE 100 index of leading shares closed %s %.1f points at "
         "%.1f on %s, while the FTSE 250 %s %.1f points to %.1f.\n\n"
         "%s\n\n%s\n\n"
         "On the currency markets the pound was trading at $%.4f and "
         "%.4f euros.\n\n"
         "Market data is provided by an independent supplier and may be "
         "delayed by at least 15 minutes. Prices are indicative only and "
         "should not be relied on for investment decisions. Past "
         "performance is not a guide to future returns." % (
             "up" if up else "down", pts, lvl,
             rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday",
                         "Friday"]),
             rng.choice(["rose", "fell"]), rng.uniform(1, 60),
             rng.uniform(6000, 7500), " ".join(lines[:3]),
             " ".join(lines[3:]), rng.uniform(1.7, 2.0),
             rng.uniform(1.3, 1.5)))
    return "Market report: FTSE %s" % ("up" if up else "down"), b


def results(rng, i):
    teams = rng.sample(TEAMS, 10)
    rows = ["%s %d-%d %s" % (teams[k], rng.randint(0, 4), rng.randint(0, 4),
                             teams[k + 1]) for k in range(0, 10, 2)]
    b = ("Here are the full-time results from today's Premiership "
         "matches, with the scorers and attendances where available.\n\n"
         + "\n".join(rows) + "\n\n"
         "Attendance at the main game was %d. The referee was %s.\n\n"
         "All results are provisional until confirmed by the league. "
         "Kick-off times are subject to change for television coverage." % (
             rng.randint(15000, 67000), rng.choice(NAMES)))
    return "Premiership results", b


def rates(rng, i):
    cs = rng.sample(CURRENCIES, 8)
    rows = ["%s %.4f (%s%.2f%%)" % (c, rng.uniform(0.5, 250),
                                    rng.choice("+-"), rng.uniform(0, 2))
            for c in cs]
    b = ("Sterling exchange rates at the close of trading in London on "
         "%s %d:\n\n" % (rng.choice(["January", "February", "March"]),
                         rng.randint(1, 28)) + "\n".join(rows) + "\n\n"
         "Rates are mid-market and for reference only. Banks and bureaux "
         "will charge a margin. Source: interbank market at 4pm.")
    return "Currency rates", b


def lottery(rng, i):
    balls = sorted(rng.sample(range(1, 50), 6))
    day = rng.choice(["Wednesday", "Saturday"])
    b = ("The winning numbers in %s's National Lottery draw were %s and %d. "
         "The bonus ball was %d. There were %d jackpot winners, who share "
         "a prize of %s.\n\n"
         "Players should check their tickets carefully. Prizes must be "
         "claimed within 180 days of the draw. Winners of prizes over a "
         "certain amount should call the claims line, and larger winners "
         "are offered advice from a financial adviser and a lawyer before "
         "deciding on publicity. Tickets can be bought in shops and online "
         "until 7.30pm on the day of the draw. Players must be aged 16 or "
         "over. Please play responsibly." % (
             day, ", ".join(str(x) for x in balls[:5]), balls[5],
             rng.randint(1, 49), rng.randint(0, 4),
             "\u00a3%.1fm" % rng.uniform(1.5, 20)))
    return "Lottery results for %s" % day, b


def notice(rng, i):
    comp = rng.choice(COMPANIES)
    b = ("%s said on %s that pre-tax profit for the %s months to %s was "
         "\u00a3%dm, against \u00a3%dm a year earlier, on revenue of "
         "\u00a3%.1fbn. The dividend is %.1fp a share.\n\n"
         "This announcement contains certain forward-looking statements "
         "with respect to the financial condition, results of operations "
         "and business of the company. By their nature, forward-looking "
         "statements involve risk and uncertainty because they relate to "
         "events and depend on circumstances that will occur in the "
         "future. Actual results may differ materially from those "
         "expressed or implied by these statements. The company undertakes "
         "no obligation to update any forward-looking statements.\n\n"
         "A conference call for analysts will be held at 9am. The full "
         "statement is available on the company's website." % (
             comp, rng.choice(["Monday", "Tuesday", "Wednesday",
                               "Thursday", "Friday"]),
             rng.choice(["three", "six", "nine", "twelve"]),
             rng.choice(["March", "June", "September", "December"]),
             rng.randint(10, 3000), rng.randint(10, 3000),
             rng.uniform(0.2, 40), rng.uniform(0.5, 30)))
    return "%s results" % comp, b


TEMPLATES = {"weather": weather, "market": market, "results": results,
             "rates": rates, "lottery": lottery, "notice": notice}


def label_bbc_near(items):
    """Labels BBC articles that nearly repeat an earlier one, by word-level
    alignment (difflib), independent of the fingerprints under test:
    ratio >= 0.8: "bbc_near" (copy_of, or "bbc_near_stale" with twin_of
    outside the window); 0.5 <= ratio < 0.8: "bbc_related" (twin_of only:
    a detection is neither right nor wrong)."""
    import difflib
    words = [it["body"].lower().split() for it in items]
    index = {}
    cands = {}
    for i, w in enumerate(words):
        seen = set()
        for k in range(0, max(0, len(w) - 7)):
            g = " ".join(w[k:k + 8])
            if g in seen:
                continue
            seen.add(g)
            for j in index.get(g, ()):
                cands[(j, i)] = cands.get((j, i), 0) + 1
            index.setdefault(g, []).append(i)
    best = {}
    for (j, i), c in cands.items():
        if c < 3 or items[i]["kind"] != "original":
            continue
        r = difflib.SequenceMatcher(None, words[j], words[i],
                                    autojunk=False).ratio()
        if r >= 0.5 and r > best.get(i, (0, 0))[0]:
            best[i] = (r, j)
    for i, (r, j) in best.items():
        it, o = items[i], items[j]
        if r >= 0.8 and it["ts"] - o["ts"] <= WINDOW_MS:
            it["copy_of"], it["kind"] = o["id"], "bbc_near"
        elif r >= 0.8:
            it["twin_of"], it["kind"] = o["id"], "bbc_near_stale"
        else:
            it["twin_of"], it["kind"] = o["id"], "bbc_related"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--copies", type=int, default=1600)
    ap.add_argument("--stale", type=int, default=60)
    ap.add_argument("--templates", type=int, default=150,
                    help="instances per template family")
    ap.add_argument("--edit-words", default="3,8",
                    help="min,max words edited (default 3,8)")
    ap.add_argument("--boiler-sentences", default="1,3",
                    help="min,max boilerplate sentences (default 1,3, at "
                    "most %d)" % len(BOILER))
    a = ap.parse_args()
    global EDIT_RANGE, BOILER_RANGE
    EDIT_RANGE = tuple(int(x) for x in a.edit_words.split(","))
    BOILER_RANGE = tuple(min(int(x), len(BOILER))
                         for x in a.boiler_sentences.split(","))
    shared = os.environ.get("ENR_SHARED_DIR", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
        "shared"))
    src = os.path.join(shared, "data", "news", "bbc.jsonl")
    if not os.path.exists(src):
        print("dedup_stream: no %s: skipped" % src, file=sys.stderr)
        sys.exit(77)
    rng = random.Random(a.seed)
    arts = [json.loads(l) for l in open(src, encoding="utf-8")]
    rng.shuffle(arts)
    t0 = 1_100_000_000_000
    step = 10 * 60 * 1000
    items = []
    first = {}
    for i, art in enumerate(arts):
        ts = t0 + i * step + rng.randint(0, step // 2)
        it = {"id": art["id"], "title": art["title"], "body": art["body"],
              "ts": ts, "copy_of": None, "kind": "original"}
        if art["body"] in first:
            of, ots = first[art["body"]]
            if ts - ots <= WINDOW_MS:
                it["copy_of"], it["kind"] = of, "bbc_exact"
            else:
                it["kind"], it["twin_of"] = "bbc_exact_stale", of
        else:
            first[art["body"]] = (art["id"], ts)
        items.append(it)
    label_bbc_near(items)
    originals = [it for it in items if it["kind"] == "original"]
    titles = [it["title"] for it in originals]
    n = 0
    tries = 0
    while n < a.copies and tries < a.copies * 10:
        tries += 1
        src_it = rng.choice(originals)
        kind = KINDS[n % len(KINDS)]
        c = make_copy(rng, src_it, kind, titles)
        if c is None or (kind != "exact" and kind != "headline" and
                         c[1] == src_it["body"]):
            continue
        n += 1
        items.append({"id": "copy-%05d" % n, "title": c[0], "body": c[1],
                      "ts": src_it["ts"] + rng.randint(3600_000,
                                                       60 * 3600_000),
                      "copy_of": src_it["id"], "kind": kind})
    for k in range(a.stale):
        src_it = rng.choice(originals)
        items.append({"id": "stale-%05d" % k, "title": src_it["title"],
                      "body": src_it["body"],
                      "ts": src_it["ts"] + rng.randint(80 * 3600_000,
                                                       200 * 3600_000),
                      "copy_of": None, "twin_of": src_it["id"],
                      "kind": "stale_copy"})
    span = len(arts) * step
    for fam, fn in sorted(TEMPLATES.items()):
        for k in range(a.templates):
            t, b = fn(rng, k)
            items.append({"id": "%s-%05d" % (fam, k), "title": t, "body": b,
                          "ts": t0 + rng.randint(0, span), "copy_of": None,
                          "kind": "template_" + fam})
    items.sort(key=lambda x: (x["ts"], x["id"]))
    with open(a.out, "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    print("dedup_stream: %d items (%d copies, %d stale, %d templates) -> %s"
          % (len(items), n, a.stale, a.templates * len(TEMPLATES), a.out),
          file=sys.stderr)


if __name__ == "__main__":
    main()
