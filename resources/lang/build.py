#!/usr/bin/env python3
"""Builds resources/lang/langid.bin, the language-identification model of
common/langid.c, from the character n-gram models of Lingua 1.3.5
(lingua-language-detector on PyPI, Apache-2.0, by Peter M. Stahl).

Reproducible: fetches the pinned wheel with `pip download`, checks its
sha256, reads lingua/language-models/<code>/<order>.json.br (brotli JSON of
conditional n-gram probabilities P(last char | previous chars), 1- to
5-grams, lower-cased, letters only) and writes a compact binary table:

  * the estimated count of every n-gram is rebuilt as the chain product of
    its conditional probabilities times the language's unigram total;
  * n-grams seen fewer than --min-count times per 100 million letters of
    the language's training text are dropped (per order);
  * probabilities are re-smoothed, P = c / (c_prefix + --add), so that a
    5-gram whose prefix was seen once does not get probability 1;
  * log P above --floor is kept as an 8-bit score (log P - floor) * --scale;
  * n-grams are keyed by a 32-bit FNV-1a hash of their code points (the
    same hash as common/langid.c) and merged across languages.

Languages alone in their script (el, he, hy, ka, bn, gu, pa, ta, te, th,
ko, ja, zh) need no n-grams: the detector decides them from the script.
A few more single-script languages Lingua lacks are added by script only.

Usage: build.py [--out FILE] [--cache DIR] [--min-count M1 .. M5] [--add A]
                [--floor F] [--absolute] [--langs a,b] [--variant SPEC]
The defaults write the shipped resources/lang/langid.bin.
Needs: python3 -m pip, brotli (pip install brotli).
File layout: see common/langid_int.h.
"""
import argparse
import hashlib
import json
import math
import os
import struct
import subprocess
import sys
import unicodedata
import zipfile
import zlib

WHEEL = "lingua_language_detector-1.3.5-py3-none-any.whl"
WHEEL_SHA256 = "7254696753c4ee8ce127190cfb985d8b4621690d355c55b278c883f5bb5e152b"
ORDERS = ["unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams"]

# Languages the detector decides by script alone: Lingua's single-script
# languages (n-grams not needed) and a few more (no Lingua model; the
# script is unique to one major language).
SCRIPT_ONLY = {
    "el": "Grek", "he": "Hebr", "hy": "Armn", "ka": "Geor", "bn": "Beng",
    "gu": "Gujr", "pa": "Guru", "ta": "Taml", "te": "Telu", "th": "Thai",
    "ko": "Kore", "ja": "Jpan", "zh": "Hani",
    # Not in Lingua: script-only guesses.
    "kn": "Knda", "ml": "Mlym", "si": "Sinh", "km": "Khmr", "lo": "Laoo",
    "my": "Mymr", "or": "Orya", "am": "Ethi", "bo": "Tibt", "dv": "Thaa",
}


def fnv(cps):
    h = 2166136261
    for c in cps:
        h = ((h ^ c) * 16777619) & 0xFFFFFFFF
    return h


def script_of(ch):
    """Coarse script of a lower-case letter, as common/langid.c classifies."""
    c = ord(ch)
    if c < 0x250 or 0x1E00 <= c <= 0x1EFF:
        return "Latn"
    if 0x370 <= c <= 0x3FF:
        return "Grek"
    if 0x400 <= c <= 0x52F:
        return "Cyrl"
    if 0x600 <= c <= 0x6FF or 0x750 <= c <= 0x77F or 0xFB50 <= c <= 0xFEFF:
        return "Arab"
    if 0x900 <= c <= 0x97F:
        return "Deva"
    return "Zzzz"


def fetch(cache):
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, WHEEL)
    if not os.path.exists(path):
        subprocess.check_call([sys.executable, "-m", "pip", "download",
                               "--no-deps", "--only-binary=:all:", "-d",
                               cache, "lingua-language-detector==1.3.5"])
    h = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if h != WHEEL_SHA256:
        sys.exit(f"{path}: sha256 {h}, expected {WHEEL_SHA256}")
    return path


def load_lang(zf, code, cache):
    """Returns [{ngram: (p, denominator)} per order], cached as a pickle."""
    import pickle
    pk = os.path.join(cache, f"lingua-1.3.5-{code}.pickle")
    if os.path.exists(pk):
        with open(pk, "rb") as f:
            return pickle.load(f)
    probs = decode_lang(zf, code)
    with open(pk + ".tmp", "wb") as f:
        pickle.dump(probs, f, protocol=4)
    os.replace(pk + ".tmp", pk)
    return probs


def decode_lang(zf, code):
    import brotli
    probs = []
    for name in ORDERS:
        member = f"lingua/language-models/{code}/{name}.json.br"
        try:
            raw = zf.read(member)
        except KeyError:
            probs.append({})
            continue
        d = json.loads(brotli.decompress(raw))["ngrams"]
        m = {}
        for frac, grams in d.items():
            num, den = frac.split("/")
            p = int(num) / int(den)
            for g in grams.split(" "):
                m[g] = (p, int(den))
        probs.append(m)
    return probs


def lang_table(probs, args):
    """Returns {ngram: score} for one language."""
    uni = probs[0]
    total = max(den for _, den in uni.values())
    counts = [{g: p * total for g, (p, _) in uni.items()}]
    for k in range(1, 5):
        ck = {}
        prev = counts[k - 1]
        for g, (p, _) in probs[k].items():
            cp = prev.get(g[:-1])
            if cp is not None:
                ck[g] = cp * p
        counts.append(ck)
    out = {}
    # Relative thresholds count per 100 million letters of training text,
    # so that languages with smaller corpora keep as large a share.
    unit = total / 1e8 if args.relative else 1.0
    for k in range(5):
        mc = args.min_count[k] * unit
        for g, c in counts[k].items():
            if c < mc - 1e-6:
                continue
            if k == 0:
                lp = math.log(c / total)
            else:
                lp = math.log(c / (counts[k - 1][g[:-1]] + args.add))
            q = round((lp - args.floor) * args.scale)
            if q <= 0:
                continue
            out[g] = min(q, 255)
    return out


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "langid.bin"))
    ap.add_argument("--cache", default=os.path.join(
        os.path.expanduser("~"), ".cache", "enricher-langid"))
    ap.add_argument("--min-count", type=float, nargs=5,
                    default=[1, 30, 100, 200, 300])
    ap.add_argument("--add", type=float, default=1.0)
    ap.add_argument("--absolute", dest="relative", action="store_false",
                    help="min counts as counts (default: per 1e8 letters "
                    "of each language's training text)")
    ap.add_argument("--floor", type=float, default=-12.0)
    ap.add_argument("--scale", type=float, default=16.0)
    ap.add_argument("--langs", default="")
    ap.add_argument("--variant", action="append", default=[],
                    help="also write OUT.vN with MC1,..,MC5:ADD:FLOOR")
    args = ap.parse_args()

    zf = zipfile.ZipFile(fetch(args.cache))
    codes = sorted({n.split("/")[2] for n in zf.namelist()
                    if n.startswith("lingua/language-models/")
                    and n.count("/") == 3})
    if args.langs:
        codes = [c for c in codes if c in args.langs.split(",")]
    loaded = []         # (code, script, probs)
    for code in codes:
        if code in SCRIPT_ONLY:
            continue
        probs = load_lang(zf, code, args.cache)
        # The language's script: where most of its unigram mass is.
        mass = {}
        for g, (p, _) in probs[0].items():
            mass[script_of(g)] = mass.get(script_of(g), 0) + p
        loaded.append((code, max(mass, key=mass.get), probs))
    variants = [args] + [variant(args, v) for v in args.variant]
    for i, v in enumerate(variants):
        out = v.out if i == 0 else f"{args.out}.v{i}"
        write_model(loaded, v, out)


def variant(args, spec):
    """--variant "MC1,..,MC5:ADD:FLOOR[:rel]" -> a copy of args."""
    v = argparse.Namespace(**vars(args))
    mc, add, floor, *rest = spec.split(":")
    v.relative = bool(rest) and rest[0] == "rel"
    v.min_count = [float(x) for x in mc.split(",")]
    v.add, v.floor = float(add), float(floor)
    return v


def write_model(loaded, args, path):
    langs = []          # (code, script)
    table = {}          # hash -> {lang index: score}
    for code, script, probs in loaded:
        li = len(langs)
        langs.append((code, script))
        t = lang_table(probs, args)
        for g, q in t.items():
            h = fnv([ord(ch) for ch in g])
            e = table.setdefault(h, {})
            e[li] = max(e.get(li, 0), q)
    for code, script in sorted(SCRIPT_ONLY.items()):
        langs.append((code, script))

    # Lower-case map: every BMP code point whose str.lower() is a single
    # different code point.
    casemap = []
    for c in range(0x10000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        lo = chr(c).lower()
        if len(lo) == 1 and ord(lo) != c:
            casemap.append((c, ord(lo)))

    keys = sorted(table)
    postings = bytearray()
    entries = bytearray()
    counts = bytearray()
    for h in keys:
        entries += struct.pack("<I", h)
        counts.append(len(table[h]))
        for li, q in sorted(table[h].items()):
            postings += bytes((li, q))
    out = bytearray()
    out += b"ENRLANG1"
    out += struct.pack("<IIIII", len(langs), len(casemap), len(keys),
                       len(postings) // 2, int(round(args.scale)))
    out += struct.pack("<i", int(round(args.floor * args.scale)))
    for code, script in langs:
        out += code.encode().ljust(8, b"\0") + script.encode().ljust(8, b"\0")
    for u, l in casemap:
        out += struct.pack("<HH", u, l)
    out += entries
    out += counts
    out += postings
    crc = zlib.crc32(bytes(out)) & 0xFFFFFFFF
    out += struct.pack("<I", crc)
    with open(path, "wb") as f:
        f.write(out)
    print(f"{path}: {len(langs)} languages, {len(keys)} n-grams, "
          f"{len(postings) // 2} postings, {len(out)} bytes; min-count "
          f"{args.min_count} add {args.add} floor {args.floor} "
          f"relative {args.relative}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
