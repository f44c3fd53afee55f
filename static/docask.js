// docask theme behaviour: links from file://, the sidebar (entries expanded from the
// shared navigation tree, a drawer on phones), the in-page contents that follows the
// scroll, tabs, copy buttons, card grids and the theme toggle. Vanilla JS, no
// dependencies; styles change through classes and the `hidden` attribute only, so the
// pages satisfy a strict Content-Security-Policy.
(function () {
  "use strict";
  var doc = document.documentElement;
  var root = doc.getAttribute("data-root") || "";
  var fromFile = location.protocol === "file:";
  var docask = (window.DOCASK = window.DOCASK || {});

  function make(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text != null) el.textContent = text;
    return el;
  }
  function each(selector, fn, scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll(selector), fn);
  }
  docask.make = make;

  // ---------- Links and shared assets ----------

  // From file:// a folder link shows a directory listing: point it at index.html.
  function fileHref(href) {
    if (!fromFile || /^([a-z][a-z0-9+.-]*:|\/\/|#|\?)/i.test(href)) return href;
    var cut = href.search(/[?#]/);
    var path = cut < 0 ? href : href.slice(0, cut);
    var rest = cut < 0 ? "" : href.slice(cut);
    if (path === "" && rest) return href;
    if (path === "" || path === ".") path = "./";
    return /\/$/.test(path) ? path + "index.html" + rest : href;
  }
  docask.fileHref = fileHref;

  /** Link to the page at clean URL `url` (href-encoded, "" for home), with an anchor. */
  docask.pageHref = function (url, anchor) {
    var href = url ? root + url + "/" : root || "./";
    return fileHref(href) + (anchor ? "#" + anchor : "");
  };

  // Loads static/<name> once (a <script src> works from file:// where fetch does not).
  var scripts = {};
  docask.loadScript = function (name, done) {
    var entry = scripts[name];
    if (!entry) {
      entry = scripts[name] = { state: "loading", waiting: [] };
      var script = document.createElement("script");
      var finish = function (ok) {
        entry.state = ok ? "ok" : "failed";
        entry.waiting.splice(0).forEach(function (fn) { fn(ok); });
      };
      script.onload = function () { finish(true); };
      script.onerror = function () { finish(false); };
      script.src = root + "static/" + name;
      document.head.appendChild(script);
    }
    if (entry.state === "loading") entry.waiting.push(done);
    else done(entry.state === "ok");
  };

  if (fromFile) {
    each("a[href]", function (a) { a.setAttribute("href", fileHref(a.getAttribute("href"))); });
  }

  // ---------- Sidebar ----------
  var sidebar = document.getElementById("sidebar");

  function setOpen(li, open) {
    li.classList.toggle("open", open);
    var button = li.querySelector(":scope > .nav-row > .nav-expand");
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  // The tree node of a rendered entry: each page holds the top level and the branch
  // of the current page in full, so an entry's position is its path in the tree.
  function navNode(li) {
    var path = [];
    var el = li;
    while (el.tagName === "LI") {
      path.unshift(Array.prototype.indexOf.call(el.parentNode.children, el));
      el = el.parentNode.parentNode;
    }
    var group = Array.prototype.indexOf.call(sidebar.querySelectorAll(".nav-group"), el);
    var node = { c: (window.DOCASK_NAV && window.DOCASK_NAV[group] || {}).i };
    for (var i = 0; node && i < path.length; i++) node = node.c && node.c[path[i]];
    var label = li.querySelector(":scope > .nav-row > a, :scope > .nav-row > .nav-label");
    return node && label && node.t === label.textContent ? node : null;
  }

  function navList(items) {
    var ul = make("ul");
    items.forEach(function (item) {
      var li = make("li", "nav-item" + (item.c ? " has-children" : ""));
      var row = make("div", "nav-row");
      var label;
      if (item.u != null) {
        label = make("a", null, item.t);
        label.setAttribute("href", docask.pageHref(item.u));
        if (item.c) {
          try { li.setAttribute("data-url", decodeURI(item.u)); } catch (e) { /* keep it out */ }
        }
      } else if (item.x != null) {
        label = make("a", "nav-external", item.t);
        label.setAttribute("href", item.x);
        label.setAttribute("rel", "noopener");
      } else {
        label = make("span", "nav-label", item.t);
      }
      row.appendChild(label);
      if (item.c) {
        var button = make("button", "nav-expand");
        button.type = "button";
        button.setAttribute("aria-expanded", "false");
        button.setAttribute("aria-label", item.t + ": show or hide pages");
        row.appendChild(button);
      }
      li.appendChild(row);
      ul.appendChild(li);
    });
    return ul;
  }

  function toggleEntry(li) {
    var open = !li.classList.contains("open");
    if (!open || li.querySelector(":scope > ul")) return setOpen(li, open);
    li.classList.add("loading");
    docask.loadScript("nav.js", function () {
      li.classList.remove("loading");
      var node = navNode(li);
      if (node && node.c && !li.querySelector(":scope > ul")) li.appendChild(navList(node.c));
      setOpen(li, true);
    });
  }

  if (sidebar) {
    sidebar.addEventListener("click", function (e) {
      var button = e.target.closest(".nav-expand, .has-children > .nav-row > .nav-label");
      if (button) toggleEntry(button.closest("li"));
    });
    // Keep the current page in view without scrolling the window.
    var current = sidebar.querySelector(".current > .nav-row");
    if (current) {
      var box = sidebar.getBoundingClientRect();
      var row = current.getBoundingClientRect();
      if (row.bottom > box.bottom || row.top < box.top) sidebar.scrollTop += row.top - box.top - box.height / 3;
    }
  }

  // Drawer on small screens.
  var navToggle = document.querySelector(".nav-toggle");
  var backdrop = document.querySelector(".drawer-backdrop");
  function setDrawer(open, restoreFocus) {
    doc.classList.toggle("nav-open", open);
    navToggle.setAttribute("aria-expanded", open ? "true" : "false");
    navToggle.setAttribute("aria-label", open ? "Close navigation" : "Open navigation");
    if (backdrop) backdrop.hidden = !open;
    if (open) {
      var target = sidebar.querySelector(".current > .nav-row > a") || sidebar.querySelector("a, button");
      if (target) target.focus({ preventScroll: true });
    } else if (restoreFocus) {
      navToggle.focus();
    }
  }
  if (navToggle && sidebar) {
    // Without JavaScript the toggle is a link to #sidebar, which CSS opens (:target).
    navToggle.addEventListener("click", function (e) { e.preventDefault(); setDrawer(!doc.classList.contains("nav-open"), true); });
    if (backdrop) backdrop.addEventListener("click", function () { setDrawer(false, true); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && doc.classList.contains("nav-open")) setDrawer(false, true);
    });
    sidebar.addEventListener("click", function (e) {
      if (e.target.closest("a[href]") && doc.classList.contains("nav-open")) setDrawer(false, false);
    });
    var wide = window.matchMedia("(min-width: 861px)");
    var onWide = function () { if (wide.matches && doc.classList.contains("nav-open")) setDrawer(false, false); };
    if (wide.addEventListener) wide.addEventListener("change", onWide);
  }

  // ---------- In-page table of contents follows the scroll ----------
  var toc = document.querySelector(".toc");
  var tocLinks = toc ? Array.prototype.slice.call(toc.querySelectorAll("a[href^='#']")) : [];
  var targets = tocLinks.map(function (a) {
    try { return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1))); } catch (e) { return null; }
  });
  var activeLink = null;
  function spy() {
    var offset = (document.querySelector(".topbar") || doc).getBoundingClientRect().bottom + 24;
    var active = -1;
    targets.forEach(function (h, i) { if (h && h.getBoundingClientRect().top <= offset) active = i; });
    if (window.innerHeight + window.scrollY >= doc.scrollHeight - 4 && targets.length) active = targets.length - 1;
    var link = tocLinks[active] || null;
    if (link === activeLink) return;
    if (activeLink) { activeLink.classList.remove("active"); activeLink.removeAttribute("aria-current"); }
    activeLink = link;
    if (link) {
      link.classList.add("active");
      link.setAttribute("aria-current", "location");
      var box = toc.getBoundingClientRect();
      var r = link.getBoundingClientRect();
      if (r.bottom > box.bottom || r.top < box.top) toc.scrollTop += r.top - box.top - box.height / 2;
    }
  }
  if (tocLinks.length) {
    var queued = false;
    window.addEventListener("scroll", function () {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(function () { queued = false; spy(); });
    }, { passive: true });
    window.addEventListener("hashchange", spy);
    spy();
  }

  // ---------- Tabs ----------
  each(".tabs", function (tabs) {
    var buttons = Array.prototype.slice.call(tabs.querySelectorAll(":scope > .tab-list > [role=tab]"));
    function select(i, focus) {
      buttons.forEach(function (b, j) {
        var on = i === j;
        b.setAttribute("aria-selected", on ? "true" : "false");
        b.tabIndex = on ? 0 : -1;
        var panel = document.getElementById(b.getAttribute("aria-controls"));
        if (panel) panel.hidden = !on;
      });
      if (focus) buttons[i].focus();
    }
    buttons.forEach(function (b, i) {
      b.addEventListener("click", function () { select(i, false); });
      b.addEventListener("keydown", function (e) {
        var n = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
        if (n === undefined) return;
        e.preventDefault();
        select((n + buttons.length) % buttons.length, true);
      });
    });
  });
  // A link to an anchor inside a hidden tab opens that tab.
  function revealHash() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var target = id && document.getElementById(id);
    var panel = target && target.closest("[role=tabpanel][hidden]");
    var tab = panel && document.querySelector("[role=tab][aria-controls='" + panel.id + "']");
    if (tab) { tab.click(); target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", revealHash);
  revealHash();

  // ---------- Copy buttons ----------
  function copyText(text, button) {
    var label = button.querySelector("span") || button;
    if (!button.hasAttribute("data-label")) button.setAttribute("data-label", label.textContent);
    var done = function (ok) {
      label.textContent = ok ? "Copied" : "Copy failed";
      button.classList.add("copied");
      setTimeout(function () {
        label.textContent = button.getAttribute("data-label");
        button.classList.remove("copied");
      }, 1600);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(legacyCopy(text)); });
    } else {
      done(legacyCopy(text));
    }
  }
  function legacyCopy(text) {
    var area = make("textarea", "visually-hidden");
    area.value = text;
    area.setAttribute("readonly", "");
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }

  each("pre.code", function (pre) {
    var frame = make("div", "code-frame");
    pre.parentNode.insertBefore(frame, pre);
    frame.appendChild(pre);
    var button = make("button", "copy-code");
    button.type = "button";
    button.setAttribute("aria-label", "Copy code");
    button.appendChild(make("span", null, "Copy"));
    button.addEventListener("click", function () {
      copyText(pre.textContent.replace(/\n$/, ""), button);
    });
    frame.appendChild(button);
  });

  each(".copy-page", function (button) {
    // fetch() cannot read files from file://: offer "View as Markdown" only.
    if (fromFile) { button.hidden = true; return; }
    button.addEventListener("click", function () {
      fetch(button.getAttribute("data-twin"))
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (text) { copyText(text, button); }, function () { copyText("", button); });
    });
  });

  // ---------- Tables and card grids ----------
  each(".markdown-body table:not([data-view=cards])", function (table) {
    if (table.parentNode.classList.contains("table-wrap")) return;
    var wrap = make("div", "table-wrap");
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
  });

  each("table[data-view=cards]", function (table) {
    var roles = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.hasAttribute("data-card-cover") ? "cover"
        : th.hasAttribute("data-card-target") ? "target"
        : th.hasAttribute("data-hidden") ? "hidden" : "";
    });
    each("tbody tr", function (tr) {
      var cells = Array.prototype.slice.call(tr.children);
      var target = null;
      cells.forEach(function (td, i) {
        if (roles[i] === "target") target = td.querySelector("a[href]");
        if (roles[i] === "target" || roles[i] === "hidden") td.classList.add("card-hidden");
        if (roles[i] === "cover") coverCell(td);
      });
      var title = cells.filter(function (td, i) { return !roles[i] && !td.querySelector("a"); })[0];
      if (target && title) {
        var link = make("a", "card-link");
        link.setAttribute("href", target.getAttribute("href"));
        while (title.firstChild) link.appendChild(title.firstChild);
        title.appendChild(link);
      }
    }, table);
  });
  function coverCell(td) {
    var a = td.querySelector("a[href]");
    if (!td.querySelector("img") && a && /\.(png|jpe?g|gif|svg|webp|avif)$/i.test(a.getAttribute("href"))) {
      var img = make("img");
      img.setAttribute("src", a.getAttribute("href"));
      img.setAttribute("alt", "");
      td.replaceChild(img, a);
    }
    td.classList.add(td.querySelector("img") ? "card-cover" : "card-hidden");
  }

  // Task-list checkboxes are named by their item's text.
  each(".markdown-body li > input[type=checkbox]", function (box) {
    if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", box.parentNode.textContent.trim().slice(0, 120));
  });

  // Scrolling regions must be reachable from the keyboard.
  function markScrollable() {
    each(".markdown-body pre.code, .markdown-body .table-wrap", function (el) {
      if (el.scrollWidth > el.clientWidth + 1) el.setAttribute("tabindex", "0");
      else el.removeAttribute("tabindex");
    });
  }
  markScrollable();
  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(markScrollable, 150);
  });

  // ---------- Theme toggle, remembered; follows the system until chosen ----------
  var themeButton = document.querySelector(".theme-toggle");
  function themeLabel() {
    var dark = doc.getAttribute("data-theme") === "dark";
    if (themeButton) themeButton.setAttribute("aria-label", dark ? "Switch to light theme" : "Switch to dark theme");
  }
  if (themeButton) {
    themeButton.addEventListener("click", function () {
      var next = doc.getAttribute("data-theme") === "dark" ? "light" : "dark";
      doc.setAttribute("data-theme", next);
      try { localStorage.setItem("docask-theme", next); } catch (e) { /* storage may be blocked */ }
      themeLabel();
    });
  }
  var system = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
  if (system && system.addEventListener) {
    system.addEventListener("change", function (e) {
      var saved = null;
      try { saved = localStorage.getItem("docask-theme"); } catch (err) { /* ignore */ }
      if (!saved) { doc.setAttribute("data-theme", e.matches ? "dark" : "light"); themeLabel(); }
    });
  }
  themeLabel();
})();
