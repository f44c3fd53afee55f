// Sets the colour theme before the first paint (no flash of the wrong theme).
(function () {
  var saved = null;
  try { saved = localStorage.getItem("docask-theme"); } catch (e) { /* storage may be blocked */ }
  var dark = saved ? saved === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.setAttribute("data-theme", dark ? "dark" : "light");
})();
