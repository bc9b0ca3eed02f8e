#!/usr/bin/env python3
"""Writes the filters of the filter benchmark: 100 rules as a planet might have them.

  filter-rules.py SOURCES_CONFIG > feeds.yaml

Reads a feeds.yaml and writes it back with 80 global rules (spam words on titles, authors and links,
most matching nothing, two matching a few posts, as a planet's rules do) and 20 sources given an include
each (only their posts about one word), placed under those sources."""
import re, sys

text = open(sys.argv[1]).read()
rules = ["filters:"]
for n in range(60):
    rules.append('  - exclude: { title: "(?i)sponsored-%d|giveaway-%d|win a free" }' % (n, n))
for n in range(10):
    rules.append('  - exclude: { author: "^promo-bot-%d$" }' % n)
for n in range(8):
    rules.append('  - exclude: { link: "/promo/%d/" }' % n)
rules.append('  - exclude: { title: "^Lantern lantern" }')
rules.append('  - exclude: { title: "(?i)^(coffee|winter) (coffee|winter) " }')
head, sources = text.split("sources:\n", 1)
out = head + "\n".join(rules) + "\nsources:\n"
included = 0
for block in re.split(r"(?=  - key: )", sources):
    if not block:
        continue
    out += block
    if included < 20 and block.startswith("  - key: "):
        out += '    filters:\n      - include: { title: "(?i)garden|river" }\n'
        included += 1
sys.stdout.write(out)
