#!/usr/bin/env python3
"""Writes a second benchmark corpus, shaped unlike the first, so a memory figure cannot depend on one shape.

1,000 feeds of 20-50 entries; 600 RSS 2.0, 300 Atom 1.0, 100 RSS 1.0; 35 in ISO-8859-1 (declared, with
Latin-1 letters), 11 with a UTF-8 byte-order mark; whole documents of 75-700 KB (median about 250 KB, sizes
drawn per feed, so a few large feeds carry long posts), bodies written as escaped HTML in RSS `description`
(no `content:encoded`) as many real blogs do, dates over three years, categories on every entry.

usage: bench/generate-second-corpus.py [OUTPUT_DIR] [FEED_COUNT] [--vary PROPERTY]
PROPERTY changes one property back to the first corpus's way (to find which one moves a figure): sizes
(every feed about 280 KB), encodings (all UTF-8, no BOM), bodies (content:encoded in CDATA), dates (2026 only);
or `large`, a stress shape: every document about 15 MB, near the 16 MiB body limit (use with a FEED_COUNT
such as 40).
"""
import math
import os
import random
import sys
from xml.sax.saxutils import escape

WORDS = ("ein der und zu dans le la les une ser estar para con por como café naïve façade über straße "
         "system parser network record window garden river harbour letter village meadow lantern market "
         "build release version kernel driver memory buffer socket thread signal cache queue index").split()
ASCII_WORDS = [w for w in WORDS if all(ord(c) < 128 for c in w)]


def words(rng, count, ascii_only):
    return " ".join(rng.choices(ASCII_WORDS if ascii_only else WORDS, k=count))


def body(rng, target_bytes, ascii_only):
    parts, size = [], 0
    while size < target_bytes:
        roll = rng.random()
        if roll < 0.05:
            part = '<figure><img src="https://cdn.example.net/i/%d.webp" alt="%s" loading="lazy"><figcaption>%s</figcaption></figure>' % (
                rng.randrange(10 ** 6), words(rng, 3, True), words(rng, 8, ascii_only))
        elif roll < 0.10:
            part = "<blockquote><p>%s</p></blockquote>" % words(rng, 40, ascii_only)
        elif roll < 0.15:
            part = "<h2>%s</h2>" % words(rng, 5, ascii_only).capitalize()
        elif roll < 0.20:
            part = "<pre><code>%s</code></pre>" % escape("for (i = 0; i < %d; i++) { x &= y; }" % rng.randrange(999))
        else:
            text = words(rng, rng.randint(30, 160), ascii_only)
            part = '<p>%s <a href="https://ref.example.org/%d">%s</a>.</p>' % (text, rng.randrange(10 ** 6), words(rng, 2, True))
        parts.append(part)
        size += len(part)
    return "\n".join(parts)


def feed_size(rng, vary):
    if vary == "sizes":
        return 280_000
    if vary == "large":
        return 15_000_000
    # Log-normal around 250 KB, kept within 75-700 KB.
    return int(min(700_000, max(75_000, rng.lognormvariate(math.log(250_000), 0.5))))


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def entries(rng, count, site, size, ascii_only, vary):
    for number in range(count):
        year = 2026 if vary == "dates" else 2024 + number % 3
        yield {
            "title": words(rng, rng.randint(5, 12), ascii_only).capitalize(),
            "link": "https://%s/%d/%s" % (site, year, rng.randrange(10 ** 8)),
            "date": (year, 1 + (number * 5) % 12, 1 + (number * 11) % 28, rng.randrange(24), rng.randrange(60)),
            "categories": rng.sample(ASCII_WORDS, 3),
            "body": body(rng, int(size * 0.85) // count, ascii_only),
        }


def rss(site, items, encoding, vary):
    out = ['<?xml version="1.0" encoding="%s"?>' % encoding,
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
           "<title>%s</title><link>https://%s/</link><description>Notes</description>" % (site, site)]
    for e in items:
        y, m, d, hh, mm = e["date"]
        out.append("<item><title>%s</title><link>%s</link><guid isPermaLink=\"true\">%s</guid>" % (escape(e["title"]), e["link"], e["link"]))
        out.append("<pubDate>Tue, %02d %s %d %02d:%02d:00 GMT</pubDate>" % (d, MONTHS[m - 1], y, hh, mm))
        out.extend("<category>%s</category>" % c for c in e["categories"])
        if vary == "bodies":
            out.append("<content:encoded><![CDATA[%s]]></content:encoded></item>" % e["body"])
        else:
            out.append("<description>%s</description></item>" % escape(e["body"]))
    out.append("</channel></rss>")
    return "\n".join(out)


def atom(site, items, encoding, vary):
    out = ['<?xml version="1.0" encoding="%s"?>' % encoding, '<feed xmlns="http://www.w3.org/2005/Atom">',
           '<title>%s</title><id>tag:%s,2024:feed</id><link rel="alternate" href="https://%s/"/><updated>2026-11-30T00:00:00Z</updated>' % (site, site, site),
           "<author><name>%s</name></author>" % site]
    for e in items:
        y, m, d, hh, mm = e["date"]
        out.append('<entry><title type="html">%s</title><id>tag:%s,%d:%s</id><link rel="alternate" type="text/html" href="%s"/>' % (
            escape(escape(e["title"])), site, y, e["link"].rsplit("/", 1)[1], e["link"]))
        out.append("<updated>%d-%02d-%02dT%02d:%02d:00+02:00</updated>" % (y, m, d, hh, mm))
        out.extend('<category term="%s"/>' % c for c in e["categories"])
        out.append('<content type="html">%s</content></entry>' % escape(e["body"]))
    out.append("</feed>")
    return "\n".join(out)


def rdf(site, items, encoding, vary):
    out = ['<?xml version="1.0" encoding="%s"?>' % encoding,
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
           '<channel rdf:about="https://%s/"><title>%s</title><link>https://%s/</link><description>Notes</description></channel>' % (site, site, site)]
    for e in items:
        y, m, d, hh, mm = e["date"]
        out.append('<item rdf:about="%s"><title>%s</title><link>%s</link>' % (e["link"], escape(e["title"]), e["link"]))
        out.append("<dc:date>%d-%02d-%02dT%02d:%02d:00Z</dc:date>" % (y, m, d, hh, mm))
        out.extend("<dc:subject>%s</dc:subject>" % c for c in e["categories"])
        out.append("<content:encoded>%s</content:encoded></item>" % escape(e["body"]))
    out.append("</rdf:RDF>")
    return "\n".join(out)


def main():
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    vary = sys.argv[sys.argv.index("--vary") + 1] if "--vary" in sys.argv else None
    if vary:
        arguments = [a for a in arguments if a != vary]
    folder = arguments[0] if arguments else os.path.join(os.path.dirname(__file__), "second-corpus")
    count = int(arguments[1]) if len(arguments) > 1 else 1000
    os.makedirs(folder, exist_ok=True)
    total = 0
    for number in range(count):
        rng = random.Random(10_000 + number)
        site = "notes%04d.example.org" % number
        latin1 = vary != "encodings" and number % 29 == 3 and number < 29 * 35
        bom = vary != "encodings" and number % 89 == 7 and number < 89 * 11
        kind = number % 10
        writer, extension = (rss, "rss") if kind < 6 else (atom, "atom") if kind < 9 else (rdf, "rdf")
        items = list(entries(rng, rng.randint(20, 50), site, feed_size(rng, vary), not latin1 and rng.random() < 0.7, vary))
        text = writer(site, items, "ISO-8859-1" if latin1 else "utf-8", vary)
        data = text.encode("latin-1", "replace") if latin1 else text.encode("utf-8")
        if bom:
            data = b"\xef\xbb\xbf" + data
        with open(os.path.join(folder, "feed%04d.%s.xml" % (number, extension)), "wb") as handle:
            handle.write(data)
        total += len(data)
    print("%d feeds, %.1f MB in %s" % (count, total / 1e6, folder))


if __name__ == "__main__":
    main()
