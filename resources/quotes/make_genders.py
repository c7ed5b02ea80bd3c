#!/usr/bin/env python3
"""Derives resources/quotes/genders.tsv: the usual gender (m or f) of given
names, from the name dictionary of the gender-guesser package (PyPI
gender-guesser 0.4.0, data nam_dict.txt by Jörg Michael, GNU FDL 1.2):
every plain ASCII-letter name of that dictionary it calls male or female
(or mostly so), plus the names of resources/gazetteer/first_names.tsv it
knows. Androgynous and unknown names are left out. Run from the repository root:
    python3 -m venv /tmp/v && /tmp/v/bin/pip install gender-guesser==0.4.0
    /tmp/v/bin/python resources/quotes/make_genders.py
"""
import re

import gender_guesser.detector as gd

d = gd.Detector(case_sensitive=False)
out = ["# Derived by make_genders.py from gender-guesser 0.4.0 (nam_dict.txt,",
       "# GNU FDL 1.2): the usual gender of frequent given names.",
       "# Format: name<TAB>m|f. Used to resolve he/she to a named person."]
names = set(n for n in d.names if re.fullmatch(r"[a-z][a-z'-]+", n))
for line in open("resources/gazetteer/first_names.tsv", encoding="utf-8"):
    if not line.startswith("#") and line.strip():
        names.add(line.split("\t")[0].strip().lower())
for name in sorted(names):
    g = d.get_gender(name)
    if g in ("male", "mostly_male"):
        out.append(name + "\tm")
    elif g in ("female", "mostly_female"):
        out.append(name + "\tf")
open("resources/quotes/genders.tsv", "w", encoding="utf-8").write("\n".join(out) + "\n")
