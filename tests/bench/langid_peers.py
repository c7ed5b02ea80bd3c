#!/usr/bin/env python3
"""Runs the Python language identifiers users would pick over a labelled
JSON-lines file (the shared lang/dev.jsonl: {"lang", "kind", "text"}) and
prints, for each, overall sentence and paragraph accuracy, items/s (CPU
time) and a per-language accuracy table, with the same code normalisation
for all tools:

  * pycld2 (CLD2): "iw" -> "he", "no" -> "nb", "zh-Hant" -> "zh",
    "sr-ME" -> "sr", "un"/"xx*" -> "und"; the language of the top result;
  * langid.py (its own 97-language model): "no" -> "nb";
  * lingua-language-detector, all 75 languages, high- and low-accuracy
    modes: IsoCode639_1 names lower-cased; None -> "und";
  * fasttext-langdetect: needs lid.176 downloaded from dl.fbaipublicfiles.com
    at first use; tried, and reported as unavailable when that fails.

Usage: langid_peers.py DATA.jsonl [--out FILE.md] [--tools a,b] [--limit N]
Set up: python3 -m venv V && V/bin/pip install -r
        tests/bench/requirements-langid.txt
"""
import argparse
import json
import sys
import time
from collections import defaultdict

MAP = {"iw": "he", "no": "nb", "zh-Hant": "zh", "zh-Hans": "zh",
       "sr-ME": "sr", "un": "und", "in": "id", "jw": "jv", "fil": "tl"}


def norm(code):
    if code is None:
        return "und"
    code = MAP.get(code, code)
    if code.startswith("xx"):
        return "und"
    return code


def tool_cld2():
    import pycld2

    def detect(text):
        try:
            ok, _, details = pycld2.detect(text)
        except pycld2.error:
            return "und"
        return norm(details[0][1])
    return detect


def tool_langid():
    import langid
    langid.classify("warm up")
    return lambda text: norm(langid.classify(text)[0])


def tool_lingua(high):
    from lingua import LanguageDetectorBuilder
    b = LanguageDetectorBuilder.from_all_languages()
    if not high:
        b = b.with_low_accuracy_mode()
    d = b.with_preloaded_language_models().build()

    def detect(text):
        lang = d.detect_language_of(text)
        return "und" if lang is None else lang.iso_code_639_1.name.lower()
    return detect


def tool_fasttext():
    from ftlangdetect import detect as ftd
    ftd("warm up", low_memory=True)
    return lambda text: norm(ftd(text.replace("\n", " "), low_memory=True)["lang"])


TOOLS = {
    "pycld2": tool_cld2,
    "langid.py": tool_langid,
    "lingua-high": lambda: tool_lingua(True),
    "lingua-low": lambda: tool_lingua(False),
    "fasttext-langdetect": tool_fasttext,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--out")
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    items = [json.loads(l) for l in open(args.data, encoding="utf-8")]
    if args.limit:
        items = items[::max(1, len(items) // args.limit)]
    langs = sorted({it["lang"] for it in items})
    results = {}
    lines = []
    for name in args.tools.split(","):
        try:
            detect = TOOLS[name]()
        except Exception as e:  # noqa: BLE001 - report any failure
            print(f"{name}: unavailable: {type(e).__name__}: {e}",
                  file=sys.stderr)
            lines.append(f"- {name}: unavailable ({type(e).__name__}: "
                         f"{str(e)[:160]})")
            continue
        ok = defaultdict(int)
        n = defaultdict(int)
        t0 = time.process_time()
        for it in items:
            guess = detect(it["text"])
            key = (it["lang"], it["kind"])
            n[key] += 1
            ok[key] += guess == it["lang"]
        dt = time.process_time() - t0
        mb = sum(len(it["text"].encode()) for it in items) / 1e6
        res = {"ok": ok, "n": n, "items_s": len(items) / dt, "mb_s": mb / dt}
        for kind in ("sentence", "paragraph"):
            a = sum(ok[k] for k in ok if k[1] == kind)
            b = sum(n[k] for k in n if k[1] == kind)
            res[kind] = a / b if b else 0.0
        results[name] = res
        print(f"{name}: sentences {res['sentence']:.4f} paragraphs "
              f"{res['paragraph']:.4f} {res['items_s']:.0f} items/s "
              f"{res['mb_s']:.2f} MB/s (CPU time)", file=sys.stderr)
    out = ["| tool | sentence acc | paragraph acc | items/s | MB/s |",
           "|---|---|---|---|---|"]
    for name, r in results.items():
        out.append(f"| {name} | {r['sentence']:.4f} | {r['paragraph']:.4f} "
                   f"| {r['items_s']:.0f} | {r['mb_s']:.2f} |")
    out += [""] + lines + ["", "Per language (sentence / paragraph accuracy):",
                           ""]
    out.append("| lang | " + " | ".join(results) + " |")
    out.append("|---|" + "---|" * len(results))
    for lang in langs:
        cells = []
        for r in results.values():
            s = r["ok"][(lang, "sentence")] / max(1, r["n"][(lang, "sentence")])
            p = r["ok"][(lang, "paragraph")] / max(1, r["n"][(lang, "paragraph")])
            cells.append(f"{s:.3f} / {p:.3f}")
        out.append(f"| {lang} | " + " | ".join(cells) + " |")
    text = "\n".join(out) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    main()
