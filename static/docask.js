// docask theme behaviour: tabs, code copy, theme toggle, sidebar drawer, file:// links.
(function () {
  "use strict";
  var doc = document.documentElement;

  // On file://, folder links need an explicit index.html.
  if (location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (!/^[a-z]+:|^\/\//i.test(href) && /(^|\/)(\.\/)?$|\/(#.*)?$/.test(href.split("?")[0])) {
        var parts = href.split("#");
        a.setAttribute("href", parts[0] + (parts[0].endsWith("/") ? "" : "/") + "index.html" + (parts[1] ? "#" + parts[1] : ""));
      }
    });
  }

  // Tabs.
  document.querySelectorAll(".tabs").forEach(function (tabs) {
    var buttons = Array.prototype.slice.call(tabs.querySelectorAll(":scope > .tab-list > [role=tab]"));
    function select(i) {
      buttons.forEach(function (b, j) {
        var on = i === j;
        b.setAttribute("aria-selected", on ? "true" : "false");
        b.tabIndex = on ? 0 : -1;
        var panel = document.getElementById(b.getAttribute("aria-controls"));
        if (panel) panel.hidden = !on;
      });
    }
    buttons.forEach(function (b, i) {
      b.addEventListener("click", function () { select(i); });
      b.addEventListener("keydown", function (e) {
        var d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
        if (d) { var n = (i + d + buttons.length) % buttons.length; select(n); buttons[n].focus(); }
      });
    });
  });

  // Copy buttons on code blocks.
  document.querySelectorAll("pre.code").forEach(function (pre) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = "Copy";
    button.addEventListener("click", function () {
      copy(pre.innerText.replace(/\n$/, ""), button);
    });
    pre.parentNode.insertBefore(button, pre);
  });

  function copy(text, button) {
    var done = function () { var t = button.textContent; button.textContent = "Copied"; setTimeout(function () { button.textContent = t; }, 1500); };
    if (navigator.clipboard) { navigator.clipboard.writeText(text).then(done, function () {}); }
  }

  // Copy page as Markdown.
  document.querySelectorAll(".copy-page").forEach(function (button) {
    button.addEventListener("click", function () {
      fetch(button.getAttribute("data-twin")).then(function (r) { return r.text(); }).then(function (t) { copy(t, button); }, function () {});
    });
  });

  // Theme toggle, remembered.
  document.querySelectorAll(".theme-toggle").forEach(function (button) {
    button.addEventListener("click", function () {
      var next = doc.getAttribute("data-theme") === "dark" ? "light" : "dark";
      doc.setAttribute("data-theme", next);
      try { localStorage.setItem("docask-theme", next); } catch (e) { /* ignore */ }
    });
  });

  // Sidebar drawer on small screens.
  var toggle = document.querySelector(".nav-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = doc.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Keyboard: "/" or Ctrl-K focuses the ask box.
  var input = document.getElementById("ask-input");
  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((e.target && e.target.tagName) || "");
    if (input && ((e.key === "/" && !typing) || (e.key === "k" && (e.ctrlKey || e.metaKey)))) {
      e.preventDefault();
      input.focus();
    }
  });

  // Keep the current page visible in the sidebar.
  var current = document.querySelector(".sidebar .current > a");
  if (current && current.scrollIntoView) current.scrollIntoView({ block: "center" });
})();
