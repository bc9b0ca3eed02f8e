#!/usr/bin/env python3
"""Writes the deterministic benchmark corpus: 1,000 feeds shaped like real blogs' feeds.

Each feed has 20-50 entries whose bodies are 200-3,000 words of HTML (paragraphs, links, emphasis,
lists, code, images); RSS 2.0, Atom 1.0 and RSS 1.0 (RDF) are mixed 5:4:1. The same seed always gives
the same bytes, so figures from different runs and machines compare. About 280 MB in all.

usage: bench/generate-corpus.py [OUTPUT_DIR] [FEED_COUNT]
"""
import os
import random
import sys
from xml.sax.saxutils import escape

WORDS = ("the of and to in is that it for on with as was be by this are or from at an not have but "
         "which one all their has more will would can about there been were when what so out if into "
         "system feed parser reader server latency memory thread queue cache index record table query "
         "stream network request response header encoding library function module compiler runtime "
         "garden river mountain winter summer evening morning coffee letter harbour village journey "
         "notebook library window kitchen bicycle orchard meadow lantern weather market festival").split()


def paragraph(rng, words):
    chunks = rng.choices(WORDS, k=words)
    for i in range(0, len(chunks), rng.randint(9, 17)):
        chunks[i] = chunks[i].capitalize()
    if words > 12 and rng.random() < 0.5:
        at = rng.randrange(words - 3)
        chunks[at] = '<a href="/notes/%s-%d">%s' % (chunks[at], rng.randrange(10000), chunks[at])
        chunks[at + 2] += "</a>"
    if words > 8 and rng.random() < 0.4:
        at = rng.randrange(words - 2)
        chunks[at] = "<em>" + chunks[at]
        chunks[at + 1] += "</em>"
    return "<p>" + " ".join(chunks) + ".</p>"


def body(rng):
    # Most posts are short and a few are long, as on real blogs: 200-3,000 words, about 1,130 on average.
    remaining = 200 + int(2800 * rng.random() ** 2)
    parts = []
    while remaining > 0:
        roll = rng.random()
        if roll < 0.06:
            parts.append('<img src="/images/%d.jpg" alt="figure" width="640" height="480">' % rng.randrange(99999))
        elif roll < 0.10:
            items = "".join("<li>%s</li>" % " ".join(rng.choices(WORDS, k=6)) for _ in range(4))
            parts.append("<ul>%s</ul>" % items)
            remaining -= 24
        elif roll < 0.13:
            parts.append("<pre><code>let value = compute(%d) &amp;&amp; ready</code></pre>" % rng.randrange(1000))
            remaining -= 5
        else:
            words = min(remaining, rng.randint(40, 140))
            parts.append(paragraph(rng, words))
            remaining -= words
    return "\n".join(parts)


def entries(rng, count, site):
    for number in range(count):
        day = 1 + (number * 7) % 28
        title = " ".join(rng.choices(WORDS, k=rng.randint(4, 9))).capitalize()
        yield {
            "title": title,
            "link": "https://%s/posts/%d" % (site, number),
            "date": (2026, 1 + number % 12, day, rng.randrange(24), rng.randrange(60)),
            "summary": " ".join(rng.choices(WORDS, k=30)) + ".",
            "body": body(rng),
        }


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def rss(site, items):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>',
           "<title>%s</title><link>https://%s/</link><description>A blog</description>" % (site, site)]
    for e in items:
        y, m, d, hh, mm = e["date"]
        out.append("<item><title>%s</title><link>%s</link><guid>%s</guid>" % (escape(e["title"]), e["link"], e["link"]))
        out.append("<pubDate>Mon, %02d %s %d %02d:%02d:00 +0000</pubDate><dc:creator>Author</dc:creator>" % (d, MONTHS[m - 1], y, hh, mm))
        out.append("<description>%s</description>" % escape(e["summary"]))
        out.append("<content:encoded><![CDATA[%s]]></content:encoded></item>" % e["body"])
    out.append("</channel></rss>")
    return "\n".join(out)


def atom(site, items):
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           '<title>%s</title><id>https://%s/</id><link href="https://%s/"/><updated>2026-12-01T00:00:00Z</updated>' % (site, site, site),
           "<author><name>Author</name></author>"]
    for e in items:
        y, m, d, hh, mm = e["date"]
        out.append('<entry><title>%s</title><id>%s</id><link href="%s"/>' % (escape(e["title"]), e["link"], e["link"]))
        out.append("<published>%d-%02d-%02dT%02d:%02d:00Z</published><updated>%d-%02d-%02dT%02d:%02d:00Z</updated>" % (y, m, d, hh, mm, y, m, d, hh, mm))
        out.append("<summary>%s</summary>" % escape(e["summary"]))
        out.append('<content type="html">%s</content></entry>' % escape(e["body"]))
    out.append("</feed>")
    return "\n".join(out)


def rdf(site, items):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
           '<channel rdf:about="https://%s/"><title>%s</title><link>https://%s/</link><description>A blog</description></channel>' % (site, site, site)]
    for e in items:
        y, m, d, hh, mm = e["date"]
        out.append('<item rdf:about="%s"><title>%s</title><link>%s</link>' % (e["link"], escape(e["title"]), e["link"]))
        out.append("<dc:date>%d-%02d-%02dT%02d:%02d:00Z</dc:date><description>%s</description>" % (y, m, d, hh, mm, escape(e["summary"])))
        out.append("<content:encoded>%s</content:encoded></item>" % escape(e["body"]))
    out.append("</rdf:RDF>")
    return "\n".join(out)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    os.makedirs(folder, exist_ok=True)
    total = 0
    for number in range(count):
        rng = random.Random(number)
        site = "blog%04d.example.com" % number
        items = list(entries(rng, rng.randint(20, 50), site))
        kind = number % 10
        writer, extension = (rss, "rss") if kind < 5 else (atom, "atom") if kind < 9 else (rdf, "rdf")
        data = writer(site, items).encode("utf-8")
        with open(os.path.join(folder, "feed%04d.%s.xml" % (number, extension)), "wb") as handle:
            handle.write(data)
        total += len(data)
    print("%d feeds, %.1f MB in %s" % (count, total / 1e6, folder))


if __name__ == "__main__":
    main()
