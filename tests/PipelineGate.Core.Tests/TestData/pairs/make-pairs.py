#!/usr/bin/env python3
"""Writes prefix-pairs.csv from samples/text-encoder/sentences.txt (see README.md here). Deterministic: no randomness."""
import csv, io, pathlib, re

root = pathlib.Path(__file__).resolve().parents[4]
lines = (root / "samples/text-encoder/sentences.txt").read_text(encoding="utf-8").splitlines()

def words(s):
    return re.findall(r"[a-z0-9']+", s.lower())

def share(s1, s2):
    """The share of s1's words (lowercased, punctuation dropped, with repeats) that also occur in s2."""
    w1, w2 = words(s1), set(words(s2))
    return round(sum(1 for w in w1 if w in w2) / len(w1), 4)

rows = []
for i in range(12):
    s1 = lines[i]
    tokens = s1.split(" ")
    for keep in (0.75, 0.4):
        s2 = " ".join(tokens[: max(1, round(len(tokens) * keep))])
        rows.append((s1, s2, share(s1, s2)))
    other = lines[(i + 25) % len(lines)]
    rows.append((s1, other, share(s1, other)))

out = io.StringIO()
writer = csv.writer(out, lineterminator="\n")
writer.writerow(["s1", "s2", "score"])
writer.writerows(rows)
(pathlib.Path(__file__).parent / "prefix-pairs.csv").write_text(out.getvalue(), encoding="utf-8")
