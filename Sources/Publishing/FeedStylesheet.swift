/// `feed.xsl`: what a person who opens an Atom or RSS feed in a browser sees instead of an XML tree: what
/// the page is, how to subscribe, and the posts' titles. It shows titles, dates and credits only, as text:
/// the posts' HTML is never put into the page.
enum FeedStylesheet {
    static let text = """
        <?xml version="1.0" encoding="utf-8"?>
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
            xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
            exclude-result-prefixes="atom dc">
        <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
        <xsl:template match="/">
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:feed/atom:title | rss/channel/title"/> (feed)</title>
        <style>
        :root { color-scheme: light dark; --text: #1d1d1f; --muted: #555; --back: #fff; --link: #0645ad; --box: #f2f2f2; }
        @media (prefers-color-scheme: dark) {
          :root { --text: #e8e8e8; --muted: #b0b0b0; --back: #16171a; --link: #8cb4ff; --box: #24262b; }
        }
        body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; font: 17px/1.55 Georgia, serif;
               color: var(--text); background: var(--back); }
        a { color: var(--link); }
        .about { background: var(--box); padding: 0.8rem 1rem; border-radius: 6px; }
        .about code { word-break: break-all; }
        .meta { color: var(--muted); font-size: 0.9rem; margin: 0; }
        h3 { margin: 1.2rem 0 0.2rem; font-size: 1.05rem; }
        </style>
        </head>
        <body>
        <header><h1><xsl:value-of select="atom:feed/atom:title | rss/channel/title"/></h1></header>
        <main>
        <p class="about">This is a feed: copy its address into a feed reader to follow
        <xsl:value-of select="atom:feed/atom:title | rss/channel/title"/> there.
        <xsl:for-each select="atom:feed/atom:link[@rel='self'] | rss/channel/atom:link[@rel='self']">
        Its address: <code><xsl:value-of select="@href"/></code>.</xsl:for-each>
        <xsl:for-each select="atom:feed/atom:link[@rel='alternate'][1] | rss/channel/link">
        <xsl:text> </xsl:text><a href="{normalize-space(@href | .)}">Open the site</a>.</xsl:for-each>
        </p>
        <xsl:for-each select="atom:feed/atom:entry">
        <article>
        <h3><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h3>
        <p class="meta"><xsl:value-of select="atom:author/atom:name"/> · <xsl:value-of select="substring(atom:published, 1, 10)"/></p>
        </article>
        </xsl:for-each>
        <xsl:for-each select="rss/channel/item">
        <article>
        <h3><a href="{link}"><xsl:value-of select="title"/></a></h3>
        <p class="meta"><xsl:value-of select="dc:creator"/> · <xsl:value-of select="pubDate"/></p>
        </article>
        </xsl:for-each>
        </main>
        </body>
        </html>
        </xsl:template>
        </xsl:stylesheet>

        """
}
