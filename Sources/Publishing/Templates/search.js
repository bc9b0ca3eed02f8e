// The pages' search box, written by Tidings beside the pages. It needs no server: it reads the month lists
// under search/ (titles, sources, authors, tags), only once someone searches, newest month first, and stops
// once it has a page of results. Query words match the start of words, accents and case aside; "a phrase"
// matches as written, -word leaves posts out, source:KEY keeps one source's. Text from the feeds is only
// ever set as text, never parsed as markup, and only http(s) links are made.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var out = document.getElementById("search-results");
  if (!form || !out || !window.fetch || !window.URL) return;
  var input = form.querySelector("input");
  var root = form.getAttribute("data-root") || "";
  var PAGE = 50;        // results shown at once
  var AT_ONCE = 4;      // month lists fetched at once
  var POSTS = 20000;    // posts read before asking to go on (about 2.5 MB, 0.5 MB compressed): a planet's
                        // years can be a hundred megabytes no phone should fetch for one rare word
  var months = null;    // [["2026-12", 120], …], newest first
  var lists = {};       // month → its posts, ready to match
  var run = 0;          // the newest search; older ones stop when they see it changed
  var shown = PAGE;
  var budget = POSTS;   // posts this search may read before it asks

  form.hidden = false;

  function fold(text) {
    return String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  // Words, "phrases", -exclusions and source:KEY, as `tidings search` reads them.
  function parse(query) {
    var terms = { want: [], not: [], sources: [] };
    var pattern = /(-?)(?:"([^"]*)"?|(\S+))/g;
    var match;
    while ((match = pattern.exec(query)) !== null) {
      var text = match[2] !== undefined ? match[2] : match[3];
      if (match[3] !== undefined && /^source:/i.test(text) && !match[1]) {
        if (text.length > 7) terms.sources.push(text.slice(7));
        continue;
      }
      text = fold(text).trim();
      if (text) (match[1] ? terms.not : terms.want).push(text);
    }
    return terms;
  }

  var LETTER = /[\p{L}\p{N}]/u;
  var NO_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

  // A term is found where a word starts; in scripts written without spaces, anywhere.
  function found(haystack, term) {
    if (NO_SPACES.test(String.fromCodePoint(term.codePointAt(0)))) return haystack.indexOf(term) >= 0;
    var at = haystack.indexOf(term);
    while (at >= 0) {
      if (at === 0 || !LETTER.test(haystack.charAt(at - 1))) return true;
      at = haystack.indexOf(term, at + 1);
    }
    return false;
  }

  function prepare(month, data) {
    var sources = Array.isArray(data.sources) ? data.sources : [];
    var posts = Array.isArray(data.posts) ? data.posts : [];
    return posts.map(function (row) {
      var source = sources[row[1]] || ["", ""];
      var post = {
        title: String(row[0] || ""), key: String(source[0]), source: String(source[1]), day: String(row[2] || ""),
        link: String(row[3] || ""), author: String(row[4] || ""), tags: String(row[5] || ""), month: month
      };
      post.titleText = fold(post.title);
      post.text = post.titleText + "\n" + fold(post.author + "\n" + post.tags + "\n" + post.source);
      return post;
    });
  }

  function load(url) {
    return fetch(url, { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  function loadMonth(month) {
    if (lists[month]) return Promise.resolve(lists[month]);
    return load(root + "search/" + month + ".json").then(function (data) {
      lists[month] = prepare(month, data);
      return lists[month];
    });
  }

  function matches(post, terms) {
    if (terms.sources.length && terms.sources.indexOf(post.key) < 0) return false;
    for (var i = 0; i < terms.want.length; i++) if (!found(post.text, terms.want[i])) return false;
    for (var j = 0; j < terms.not.length; j++) if (found(post.text, terms.not[j])) return false;
    return true;
  }

  // Posts whose title holds every word first, then the others; newest first within each.
  function rank(posts, terms) {
    function inTitle(post) {
      return terms.want.every(function (term) { return found(post.titleText, term); });
    }
    var first = [], rest = [];
    posts.forEach(function (post) { (inTitle(post) ? first : rest).push(post); });
    return first.concat(rest);
  }

  function safeLink(text) {
    try {
      var url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  // "2026-03-12" as the page's language writes a day; the day is already the one the pages show.
  function dayLabel(day) {
    var date = new Date(day + "T12:00:00Z");
    if (isNaN(date.getTime())) return day;
    try {
      return date.toLocaleDateString(document.documentElement.lang || "en", { timeZone: "UTC", dateStyle: "long" });
    } catch (error) {
      return day;
    }
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(found, searched, total, done, query) {
    out.textContent = "";
    out.hidden = false;
    var count = found.length === 0 ? "No posts" : found.length === 1 ? "1 post" : found.length.toLocaleString("en") + " posts";
    var where = done ? "in every month" : "in the newest " + searched + " of " + total + " months";
    out.appendChild(element("p", "count", count + " found for “" + query + "” " + where + "."));
    var list = element("ol", "results");
    found.slice(0, shown).forEach(function (post) {
      var item = element("li");
      var heading = element("h3");
      heading.dir = "auto";
      var href = safeLink(post.link);
      if (href) {
        var link = element("a", "", post.title);
        link.href = href;
        heading.appendChild(link);
      } else {
        heading.textContent = post.title;
      }
      item.appendChild(heading);
      var meta = element("p", "meta");
      meta.appendChild(element("span", "", post.source + (post.author ? " · " + post.author : "")));
      meta.appendChild(document.createTextNode(" · "));
      var day = element("a", "", dayLabel(post.day));
      day.href = root + post.month.replace("-", "/") + "/index.html#d" + post.day;
      meta.appendChild(day);
      item.appendChild(meta);
      list.appendChild(item);
    });
    out.appendChild(list);
    if (found.length > shown || !done) {
      var more = element("button", "more", found.length > shown ? "More results" : "Search older months");
      more.type = "button";
      var older = found.length <= shown;
      more.addEventListener("click", function () {
        if (older) budget += POSTS; else shown += PAGE;
        search(input.value, true);
      });
      out.appendChild(more);
    }
  }

  function clear() {
    run++;
    out.hidden = true;
    out.textContent = "";
  }

  // Loads months newest first, a few at a time, until `shown` results are found, every month is read, or
  // `budget` posts are read (then it shows what it found and offers to go on).
  function search(query, keepPage) {
    var terms = parse(query);
    if (!terms.want.length && !terms.sources.length) return clear();
    if (!keepPage) {
      shown = PAGE;
      budget = POSTS;
    }
    var mine = ++run;
    var ready = months ? Promise.resolve(months) : load(root + "search/index.json").then(function (data) {
      months = (Array.isArray(data.months) ? data.months : []).filter(function (month) {
        return /^\d{4}-\d{2}$/.test(month[0]);
      });
      return months;
    });
    ready.then(function (all) {
      var found = [];
      var next = 0;
      var read = 0;
      function step() {
        if (mine !== run) return;
        var batch = all.slice(next, next + AT_ONCE).map(function (month) { return loadMonth(month[0]); });
        return Promise.all(batch).then(function (loaded) {
          if (mine !== run) return;
          next += batch.length;
          loaded.forEach(function (posts) {
            read += posts.length;
            posts.forEach(function (post) { if (matches(post, terms)) found.push(post); });
          });
          var done = next >= all.length;
          if (done || found.length > shown || read >= budget) {
            show(rank(found, terms), next, all.length, done, query.trim());
            return;
          }
          return step();
        });
      }
      return step();
    }).catch(function (error) {
      if (mine !== run) return;
      out.hidden = false;
      out.textContent = "";
      out.appendChild(element("p", "count", "Search is not available here: " + error.message));
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value, false); }, 200);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      input.value = "";
      clear();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search(input.value, false);
    try {
      // The address names the search, so it can be kept or sent (not where pages are opened as files).
      var address = new URL(window.location.href);
      address.searchParams.set("q", input.value);
      history.replaceState(null, "", address.href);
    } catch (error) {
      // Nothing lost: the results are on the page.
    }
  });

  var asked = new URL(window.location.href).searchParams.get("q");
  if (asked) {
    input.value = asked;
    search(asked, false);
  }
})();
