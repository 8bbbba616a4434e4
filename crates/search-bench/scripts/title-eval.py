#!/usr/bin/env python3
"""Writes the Cranfield dev query sets of the title: experiment (README, "Why
`title:` filters"): the queries as they are (base) and with `title:W` appended (filter: `title:`
filters and ranks), W being the query's longest content word. (The boost figure in
the README was measured on the build before the filters, commit 0c2936a, where
`title:W` only boosted.)

Usage: title-eval.py QUERIES.tsv OUTDIR
"""
import re
import sys

STOP = set(
    "what which when where how why is are was were be been the a an of to in on for "
    "with by at from and or not that this these those must can could should would will "
    "do does did has have had it its as so far any such into about there their them they "
    "we our you your papers paper problem problems".split()
)

queries, outdir = sys.argv[1], sys.argv[2]
sets = {"base": [], "filter": []}
for line in open(queries, encoding="utf-8"):
    qid, query = line.rstrip("\n").split("\t", 1)
    words = [w for w in re.findall(r"[a-z][a-z-]+", query.lower()) if w not in STOP and len(w) > 3]
    word = max(words, key=len) if words else None
    sets["base"].append(f"{qid}\t{query}")
    sets["filter"].append(f"{qid}\t{query} title:{word}" if word else f"{qid}\t{query}")
for name, rows in sets.items():
    with open(f"{outdir}/{name}.tsv", "w", encoding="utf-8") as out:
        out.write("\n".join(rows) + "\n")
