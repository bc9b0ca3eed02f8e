#!/usr/bin/env python3
"""Writes an ill-formed, non-ASCII RSS feed of a given size, shaped like a large podcast feed: one bare '&'
makes it not well-formed (so the repair pass runs), and every item carries accented text, raw HTML in its
description and an enclosure. Deterministic, so timings compare across runs.

usage: bench/generate-ill-formed.py OUTPUT_FILE SIZE_IN_MB
"""
import sys

def item(n):
    words = " ".join(f"café{n % 97} naïve résumé {n}" for _ in range(40))
    return (
        f"<item><title>Épisode {n}: ça va très bien</title>"
        f"<link>https://podcast.example/episodes/{n}</link>"
        f"<guid isPermaLink=\"false\">ep-{n}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 10:{n % 60:02d}:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Notes <b>{words}</b> &amp;nbsp;&lt;/p&gt;</description>"
        f"<enclosure url=\"https://podcast.example/audio/{n}.mp3\" length=\"{n * 1000}\" type=\"audio/mpeg\"/>"
        f"</item>\n"
    )

def main():
    path, megabytes = sys.argv[1], float(sys.argv[2])
    target = int(megabytes * 1024 * 1024)
    head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>" \
           "<title>Tom & Jerry’s Podcast</title><link>https://podcast.example/</link>\n"
    parts, size, n = [head], len(head.encode()), 0
    while size < target:
        text = item(n)
        parts.append(text)
        size += len(text.encode())
        n += 1
    parts.append("</channel></rss>\n")
    with open(path, "w", encoding="utf-8") as out:
        out.write("".join(parts))
    print(f"{path}: {n} items, {size / 1048576:.1f} MB")

main()
