#!/usr/bin/env python3
"""Writes the scale benchmark's corpus: many small blogs with long archives.

By default 10,000 RSS 2.0 feeds of 100 entries each (1,000,000 entries), dated over the ten years before
2026-12-01, each entry with a title, a link, a 40-word summary and a body of 150-900 words of HTML
(about 3 KB on average: what a planet's members post, not the 1,000-word essays of the fetch corpus).
The same arguments always give the same bytes.

usage: bench/generate-scale-corpus.py OUTPUT_DIR [FEED_COUNT] [ENTRIES_PER_FEED]
"""
import os
import random
import sys
from xml.sax.saxutils import escape

WORDS = ("the of and to in is that it for on with as was be by this are or from at an not have but "
         "which one all their has more will would can about there been were when what so out if into "
         "system feed parser reader server latency memory thread queue cache index record table query "
         "garden river mountain winter summer evening morning coffee letter harbour village journey "
         "notebook library window kitchen bicycle orchard meadow lantern weather market festival").split()
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  # 1970-01-01 was a Thursday
END = 1796083200  # 2026-12-01T00:00:00Z
SPAN = 10 * 365 * 86400


def paragraphs(rng, count):
    """A pool of paragraphs to build bodies from: generating every word of a gigabyte is too slow."""
    pool = []
    for _ in range(count):
        words = rng.choices(WORDS, k=rng.randint(40, 120))
        words[0] = words[0].capitalize()
        if rng.random() < 0.5:
            at = rng.randrange(len(words) - 2)
            words[at] = '<a href="/notes/%d">%s' % (rng.randrange(10000), words[at])
            words[at + 1] += "</a>"
        pool.append("<p>" + " ".join(words) + ".</p>")
    return pool


def rfc822(seconds):
    days, rest = divmod(seconds, 86400)
    year, month, day = civil(days)
    return "%s, %02d %s %d %02d:%02d:%02d +0000" % (
        DAYS[days % 7], day, MONTHS[month - 1], year, rest // 3600, rest // 60 % 60, rest % 60)


def civil(days):
    """Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's algorithm)."""
    days += 719468
    era = days // 146097
    doe = days - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def feed(number, count, pool):
    rng = random.Random(number)
    site = "blog%05d.example.com" % number
    dates = sorted((END - rng.randrange(SPAN) for _ in range(count)), reverse=True)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
           "<title>Blog %d</title><link>https://%s/</link><description>A blog</description>" % (number, site)]
    for index, date in enumerate(dates):
        link = "https://%s/%d/post-%d" % (site, date // 31536000 + 1970, count - index)
        title = " ".join(rng.choices(WORDS, k=rng.randint(4, 9))).capitalize()
        summary = " ".join(rng.choices(WORDS, k=40)) + "."
        body = "\n".join(rng.choices(pool, k=rng.randint(2, 11)))
        out.append("<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate>"
                   % (escape(title), link, link, rfc822(date)))
        out.append("<description>%s</description><content:encoded><![CDATA[%s]]></content:encoded></item>"
                   % (escape(summary), body))
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    feeds = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    entries = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    os.makedirs(folder, exist_ok=True)
    pool = paragraphs(random.Random(-1), 5000)
    total = 0
    for number in range(feeds):
        data = feed(number, entries, pool)
        with open(os.path.join(folder, "feed%05d.xml" % number), "wb") as handle:
            handle.write(data)
        total += len(data)
    print("%d feeds of %d entries, %.1f MB in %s" % (feeds, entries, total / 1e6, folder))


if __name__ == "__main__":
    main()
