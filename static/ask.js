// docask ask box: matching sections as you type, and on Enter the direct answer,
// excerpts and sources from the docask server's JSON ask response. Without a server
// (file://, a plain static host) it falls back to the offline index shipped with the
// build (static/search-index.js) and a small scorer. Server text is never parsed as
// HTML: the answer's Markdown is turned into DOM nodes, links only to the site or http(s).
(function () {
  "use strict";
  var docask = window.DOCASK || {};
  var make = docask.make;
  var box = document.querySelector(".ask");
  var form = box && box.querySelector(".ask-form");
  var input = document.getElementById("ask-input");
  var panel = document.getElementById("ask-panel");
  if (!make || !form || !input || !panel) return;
  var status = panel.querySelector(".ask-status");
  var results = panel.querySelector(".ask-results");
  var askUrl = box.getAttribute("data-md") || (document.documentElement.getAttribute("data-root") || "") + "index.md";
  var offline = location.protocol === "file:";
  var request = null;
  var seq = 0;
  var timer = 0;

  // ---------- Opening, closing, keyboard ----------
  function openPanel() { panel.hidden = false; }
  function closePanel() { panel.hidden = true; }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable);
    if ((e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) || (e.key.toLowerCase() === "k" && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { seq++; closePanel(); return; }
    timer = setTimeout(function () { run(q, false); }, 140);
  });
  input.addEventListener("focus", function () { if (input.value.trim() && results.firstChild) openPanel(); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    var q = input.value.trim();
    if (q) run(q, true);
  });
  box.addEventListener("keydown", function (e) {
    var items = Array.prototype.slice.call(panel.querySelectorAll("a[href], button"));
    var at = items.indexOf(document.activeElement);
    if (e.key === "Escape" && !panel.hidden) {
      e.preventDefault();
      closePanel();
      input.focus();
    } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && !panel.hidden && items.length) {
      e.preventDefault();
      var next = e.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) input.focus();
      else items[Math.min(next, items.length - 1)].focus();
    }
  });
  document.addEventListener("pointerdown", function (e) { if (!box.contains(e.target)) closePanel(); });
  box.addEventListener("focusout", function (e) { if (e.relatedTarget && !box.contains(e.relatedTarget)) closePanel(); });
  panel.addEventListener("click", function (e) {
    var follow = e.target.closest(".ask-followup");
    if (follow) {
      input.value = follow.getAttribute("data-question");
      run(input.value, true);
      input.focus();
    } else if (e.target.closest("a[href]")) {
      closePanel();
    }
  });

  // ---------- Asking ----------
  function run(q, full) {
    var id = ++seq;
    if (request) request.abort();
    request = null;
    if (offline) return searchOffline(q, full, id);
    if (full) showStatus("Asking…");
    request = new AbortController();
    var url = askUrl + "?ask=" + encodeURIComponent(q) + "&format=json";
    fetch(url, { signal: request.signal, headers: { Accept: "application/json" } })
      .then(function (r) {
        var json = (r.headers.get("content-type") || "").indexOf("json") >= 0;
        if (!json) throw new Error("no ask server");
        return r.json().then(function (data) { return { ok: r.ok, data: data }; });
      })
      .then(function (res) {
        if (id !== seq) return;
        if (res.ok) showAnswer(q, res.data, full);
        else { clear(); showStatus("That question could not be asked. Try a shorter one."); }
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") return;
        // A static host serves the Markdown twin (or nothing): search offline from now on.
        offline = true;
        if (id === seq) searchOffline(q, full, id);
      });
  }

  // Messages show on their own; with results they are only announced.
  function showStatus(text) {
    status.textContent = text;
    status.classList.toggle("visually-hidden", !!results.firstChild && !/…$/.test(text));
    openPanel();
  }

  function clear() {
    while (results.firstChild) results.removeChild(results.firstChild);
  }

  function showAnswer(q, data, full) {
    clear();
    var terms = queryTerms(q).map(stem);
    var excerpts = Array.isArray(data.excerpts) ? data.excerpts : [];
    if (full) {
      var answer = make("div", "ask-answer");
      if (data.answer && typeof data.answer.markdown === "string") {
        answer.appendChild(markdown(data.answer.markdown));
        var src = data.answer.source;
        if (src && src.url && data.answer.markdown.indexOf(src.url) < 0) {
          var p = make("p", "ask-source", "— ");
          p.appendChild(link(siteHref(src.url), label(src.title, src.section)));
          answer.appendChild(p);
        }
      } else {
        answer.appendChild(make("p", null, "No answer found in this documentation."));
      }
      results.appendChild(make("p", "ask-heading", "Answer"));
      results.appendChild(answer);
    }
    var hits = excerpts.map(function (x) {
      return { title: x.title, section: x.section, href: siteHref(x.url), text: x.text };
    });
    if (hits.length) {
      results.appendChild(make("p", "ask-heading", full ? "Excerpts" : "Matching sections"));
      results.appendChild(hitList(hits, terms));
    }
    if (full) {
      var follow = Array.isArray(data.follow_ups) ? data.follow_ups : [];
      if (follow.length) {
        results.appendChild(make("p", "ask-heading", "Follow-up questions"));
        var ul = make("ul", "ask-followups");
        follow.slice(0, 4).forEach(function (f) {
          if (typeof f.question !== "string") return;
          var b = make("button", "ask-followup", f.question);
          b.type = "button";
          b.setAttribute("data-question", f.question);
          var li = make("li");
          li.appendChild(b);
          ul.appendChild(li);
        });
        results.appendChild(ul);
      }
      var sources = Array.isArray(data.sources) ? data.sources : [];
      if (sources.length) {
        results.appendChild(make("p", "ask-heading", "Sources"));
        var list = make("ul", "ask-sources");
        sources.forEach(function (s) {
          var href = siteHref(s.url);
          if (!href) return;
          var li = make("li");
          li.appendChild(link(href, s.title || s.url));
          list.appendChild(li);
        });
        results.appendChild(list);
      }
    } else if (hits.length) {
      results.appendChild(make("p", "ask-note", "Press Enter to ask for a direct answer."));
    }
    showStatus(full
      ? (data.answer ? "Answer found." : "No direct answer.") + " " + plural(hits.length, "excerpt")
      : hits.length ? plural(hits.length, "matching section") : "No matching sections.");
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s") + "."; }
  function label(title, section) { return section && section !== title ? title + " › " + section : title || ""; }

  function hitList(hits, terms) {
    var ul = make("ul", "ask-list");
    hits.forEach(function (h) {
      if (!h.href) return;
      var a = link(h.href, null);
      a.className = "ask-hit";
      a.appendChild(make("span", "ask-hit-title", label(h.title, h.section)));
      if (h.text) a.appendChild(marked(make("span", "ask-hit-text"), h.text, terms));
      var li = make("li");
      li.appendChild(a);
      ul.appendChild(li);
    });
    return ul;
  }

  // Wraps the words of `text` that start with a query term in <mark>.
  function marked(el, text, terms) {
    var words = terms.filter(function (t) { return t.length > 1; }).map(function (t) {
      return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    });
    if (!words.length) { el.textContent = text; return el; }
    var re = new RegExp("(^|[^\\p{L}\\p{N}])((?:" + words.join("|") + ")[\\p{L}\\p{N}]*)", "giu");
    var last = 0;
    text.replace(re, function (m, before, word, at) {
      var start = at + before.length;
      el.appendChild(document.createTextNode(text.slice(last, start)));
      el.appendChild(make("mark", null, word));
      last = start + word.length;
      return m;
    });
    el.appendChild(document.createTextNode(text.slice(last)));
    return el;
  }

  // ---------- URLs ----------
  // "/a/b.md#x" → the HTML page a/b/#x relative to this page; absolute URLs (a site
  // with base_url) keep their host; anything else is not linked.
  function siteHref(url) {
    if (typeof url !== "string") return null;
    var cut = url.indexOf("#");
    var anchor = cut < 0 ? "" : url.slice(cut + 1);
    var path = (cut < 0 ? url : url.slice(0, cut)).split("?")[0];
    if (/^https?:\/\/[^/]+/i.test(path)) {
      return path.replace(/\/index\.md$/, "/").replace(/\.md$/, "/") + (anchor ? "#" + anchor : "");
    }
    if (path.charAt(0) !== "/" || path.charAt(1) === "/") return null;
    var page = path.slice(1).replace(/\.md$/, "");
    return docask.pageHref(page === "index" ? "" : page, anchor);
  }

  function link(href, text) {
    var a = make("a", null, text);
    if (href) a.setAttribute("href", href);
    return a;
  }

  // ---------- Minimal, safe Markdown ----------
  // Paragraphs, nested lists, fenced code, and inline code, bold, emphasis, links.
  function markdown(md) {
    var out = document.createDocumentFragment();
    var lines = md.replace(/\r/g, "").split("\n");
    var para = [];
    var lists = []; // open lists, outermost first: {indent, el}
    function flush() {
      if (!para.length) return;
      var text = para.join(" ");
      out.appendChild(inline(make("p", /^— \[/.test(text) ? "ask-source" : null), text));
      para = [];
    }
    function listFor(indent, ordered, start) {
      while (lists.length && indent < lists[lists.length - 1].indent) lists.pop();
      var top = lists[lists.length - 1];
      if (top && indent === top.indent && (top.el.tagName === "OL") === ordered) return top.el;
      if (top && indent === top.indent) { lists.pop(); top = lists[lists.length - 1]; }
      var el = make(ordered ? "ol" : "ul");
      if (ordered && start !== "1") el.setAttribute("start", start);
      (top && indent > top.indent && top.el.lastChild ? top.el.lastChild : out).appendChild(el);
      lists.push({ indent: indent, el: el });
      return el;
    }
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      var fence = /^\s*(```|~~~)/.exec(line);
      if (fence) {
        flush();
        var code = [];
        while (++i < lines.length && lines[i].trim().indexOf(fence[1]) !== 0) code.push(lines[i]);
        var pre = make("pre");
        pre.appendChild(make("code", null, code.join("\n")));
        (lists.length ? lists[lists.length - 1].el.lastChild || out : out).appendChild(pre);
        continue;
      }
      var item = /^(\s*)([-*+]|(\d+)[.)])\s+(.*)$/.exec(line);
      if (item) {
        flush();
        var list = listFor(item[1].length, !!item[3], item[3]);
        list.appendChild(inline(make("li"), item[4]));
        continue;
      }
      if (!line.trim()) { flush(); continue; }
      var text = line.trim().replace(/^(#{1,6}|>)\s?/, "");
      if (lists.length && /^\s/.test(line) && !para.length) {
        inline(lists[lists.length - 1].el.lastChild, " " + text);
        continue;
      }
      lists = [];
      para.push(text);
    }
    flush();
    return out;
  }

  docask.markdown = markdown;

  var INLINE = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([\s\S]+?)\*\*|__([\s\S]+?)__|\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\*([^*\s][^*]*?)\*/;

  function inline(parent, text) {
    var m;
    while ((m = INLINE.exec(text))) {
      if (m.index) parent.appendChild(document.createTextNode(text.slice(0, m.index)));
      if (m[1]) parent.appendChild(make("code", null, m[2]));
      else if (m[3] || m[4]) parent.appendChild(inline(make("strong"), m[3] || m[4]));
      else if (m[5]) {
        var href = /^https?:\/\//i.test(m[6]) && !/\.md(#|$)/.test(m[6]) ? m[6] : siteHref(m[6]);
        parent.appendChild(href ? inline(link(href, null), m[5]) : inline(make("span"), m[5]));
      } else parent.appendChild(inline(make("em"), m[7]));
      text = text.slice(m.index + m[0].length);
    }
    if (text) parent.appendChild(document.createTextNode(text));
    return parent;
  }

  // ---------- Offline search ----------
  var STOP = " a an and any are as at be by can could do does for from get has have how i if in into is it its me my of on or should so than that the their them then there these this those to was we what when where which who why will with would you your ";
  function stem(w) {
    var s = w.replace(/ies$/, "y").replace(/(ing|ed|es|([^s])s)$/, "$2").replace(/e$/, "");
    return s.length > 2 ? s : w;
  }
  function words(text) {
    return String(text).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function queryTerms(q) {
    return words(q).filter(function (w) { return STOP.indexOf(" " + w + " ") < 0; });
  }
  function field(text) { return " " + words(text).map(stem).join(" ") + " "; }

  var prepared = null;
  function prepare(index) {
    var pages = index.p || [];
    return (index.s || []).map(function (s) {
      var page = pages[s[0]] || ["", ""];
      return {
        title: page[0], section: s[1], href: docask.pageHref(page[1], s[2]), text: s[3],
        t: field(page[0]), h: field(s[1]), b: field(s[3]),
      };
    });
  }

  function score(entry, terms, last) {
    var total = 0;
    var matched = 0;
    terms.forEach(function (t, i) {
      var prefix = " " + t;
      var whole = " " + t + " ";
      var s = 0;
      [[entry.h, 6], [entry.t, 4], [entry.b, 1.5]].forEach(function (f) {
        if (f[0].indexOf(whole) >= 0) s += f[1];
        else if ((i === last || t.length > 3) && f[0].indexOf(prefix) >= 0) s += f[1] * 0.6;
      });
      if (s) { matched++; total += s; }
    });
    return matched ? total * Math.pow(matched / terms.length, 2) : 0;
  }

  function searchOffline(q, full, id) {
    docask.loadScript("search-index.js", function (ok) {
      if (id !== seq) return;
      if (!ok || !window.DOCASK_SEARCH) { clear(); showStatus("Search is not available: its index did not load."); return; }
      prepared = prepared || prepare(window.DOCASK_SEARCH);
      var terms = queryTerms(q).map(stem);
      if (!terms.length) terms = words(q).map(stem);
      var hits = prepared
        .map(function (e) { return { e: e, s: score(e, terms, terms.length - 1) }; })
        .filter(function (x) { return x.s > 0; })
        .sort(function (a, b) { return b.s - a.s; })
        .slice(0, 8)
        .map(function (x) { return x.e; });
      clear();
      if (hits.length) {
        results.appendChild(make("p", "ask-heading", "Matching sections"));
        results.appendChild(hitList(hits, terms));
      }
      if (full || !hits.length) {
        results.appendChild(make("p", "ask-note", "Offline search: direct answers need the docask server."));
      }
      showStatus(hits.length ? plural(hits.length, "matching section") : "No matching sections.");
    });
  }
})();
