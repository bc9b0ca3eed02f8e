/// The Mustache templates of the HTML pages. They are compiled into the binary so an installed
/// `tidings` needs no data files; `{{ }}` escapes HTML, and the pages carry only plain text from feeds.
enum Templates {
    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{pageTitle}}</title>
        <meta name="generator" content="{{generator}}">
        <link rel="alternate" type="application/atom+xml" title="{{site}} (Atom)" href="{{root}}feed.atom">
        <link rel="alternate" type="application/rss+xml" title="{{site}} (RSS)" href="{{root}}feed.rss">
        <style>
        body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; font: 17px/1.55 Georgia, serif; color: #222; }
        header a { color: inherit; text-decoration: none; font-weight: bold; }
        h1 { margin-bottom: 0.2rem; }
        h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; font-size: 1.1rem; }
        h3 { margin: 1.2rem 0 0.2rem; font-size: 1.05rem; }
        .count, .source, .meta { color: #666; font-size: 0.9rem; margin: 0; }
        .summary { margin: 0.3rem 0 0.1rem; }
        .words { margin: 0; }
        .words a { color: #666; font-size: 0.9rem; }
        nav.months { display: flex; justify-content: space-between; margin: 2rem 0; }
        ul.archive { columns: 2; }
        footer { margin-top: 3rem; color: #888; font-size: 0.85rem; }
        </style>
        </head>
        <body>
        <header><a href="{{root}}index.html">{{site}}</a></header>
        <main>
        """

    static let foot = """
        </main>
        <footer>Feeds: <a href="{{root}}feed.atom">Atom</a> · <a href="{{root}}feed.rss">RSS</a>. Gathered by {{generator}}.</footer>
        </body>
        </html>

        """

    static let month = """
        {{> head}}
        <h1>{{heading}}</h1>
        <p class="count">{{countLine}}</p>
        {{#days}}
        <section class="day">
        <h2><time datetime="{{datetime}}">{{dayHeading}}</time></h2>
        {{#posts}}
        <article>
        <h3>{{#hasLink}}<a href="{{link}}">{{title}}</a>{{/hasLink}}{{^hasLink}}{{title}}{{/hasLink}}</h3>
        <p class="source">{{source}}{{#hasAuthor}} · {{author}}{{/hasAuthor}}</p>
        {{#hasSummary}}<p class="summary">{{summary}}</p>{{/hasSummary}}
        {{#hasWords}}<p class="words">{{#hasLink}}<a href="{{link}}">[... {{words}} words]</a>{{/hasLink}}{{^hasLink}}[... {{words}} words]{{/hasLink}}</p>{{/hasWords}}
        </article>
        {{/posts}}
        </section>
        {{/days}}
        <nav class="months">
        <span>{{#hasPrevious}}<a rel="prev" href="{{previousHref}}">← {{previousLabel}}</a>{{/hasPrevious}}</span>
        <span>{{#hasNext}}<a rel="next" href="{{nextHref}}">{{nextLabel}} →</a>{{/hasNext}}</span>
        </nav>
        {{> foot}}
        """

    static let index = """
        {{> head}}
        <h1>Latest posts</h1>
        <p class="count">From {{sourceCount}}, newest first.</p>
        {{#posts}}
        <article>
        <h3>{{#hasLink}}<a href="{{link}}">{{title}}</a>{{/hasLink}}{{^hasLink}}{{title}}{{/hasLink}}</h3>
        {{#hasSummary}}<p class="summary">{{summary}}</p>{{/hasSummary}}
        <p class="meta">{{source}} · <time datetime="{{datetime}}">{{dayHeading}}</time> · <a href="{{monthHref}}">{{monthLabel}}</a></p>
        </article>
        {{/posts}}
        {{^posts}}<p>Nothing yet: run <code>tidings refresh</code>.</p>{{/posts}}
        <h2>Archive</h2>
        <ul class="archive">
        {{#months}}<li><a href="{{href}}">{{label}}</a> ({{countLine}})</li>
        {{/months}}
        </ul>
        {{> foot}}
        """
}
