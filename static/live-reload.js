// docask live preview (served only by `docask serve --watch`): listens to the
// server's build status, reloads the page when a new build is served, and shows a
// build error over the page while the previous build stays served.
(function () {
  "use strict";
  var build = null;
  var box = null;

  function show(message) {
    if (!box) {
      box = document.createElement("div");
      box.id = "docask-build-error";
      box.setAttribute("role", "alert");
      var s = box.style;
      s.position = "fixed"; s.left = "1rem"; s.right = "1rem"; s.bottom = "1rem"; s.zIndex = "1000";
      s.maxHeight = "50vh"; s.overflow = "auto"; s.padding = "1rem 1.25rem"; s.borderRadius = ".5rem";
      s.background = "#2d0a0a"; s.color = "#ffd7d7"; s.border = "2px solid #e5484d";
      s.font = "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
      s.boxShadow = "0 8px 24px rgba(0,0,0,.35)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "docask: the last edit does not build; the previous version is shown.";
    var pre = document.createElement("pre");
    pre.style.whiteSpace = "pre-wrap";
    pre.style.margin = ".5rem 0 0";
    pre.textContent = message;
    box.appendChild(title);
    box.appendChild(pre);
  }

  function hide() {
    if (box) { box.remove(); box = null; }
  }

  if (!window.EventSource) return;
  var source = new EventSource("/_docask/events");
  source.addEventListener("status", function (e) {
    var status;
    try { status = JSON.parse(e.data); } catch (err) { return; }
    if (build !== null && status.build !== build) { location.reload(); return; }
    build = status.build;
    if (status.error) show(status.error); else hide();
  });
})();
