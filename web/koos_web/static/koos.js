// Koos web: pages work without this script; with it, parts marked data-refresh update themselves.
// A part is fetched again (its URL answers the part alone) until it holds an element marked data-final,
// unless it is marked data-keep-going. A round is skipped while the reader's focus is inside the part,
// so keyboard users are never moved.
(function () {
  "use strict";
  function refresh(part) {
    var url = part.getAttribute("data-refresh");
    var every = parseInt(part.getAttribute("data-refresh-every") || "1500", 10);
    var keepGoing = part.hasAttribute("data-keep-going");
    function again() { window.setTimeout(round, every); }
    function round() {
      if (part.contains(document.activeElement) && document.activeElement !== part) { again(); return; }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
        .then(function (html) {
          if (part.innerHTML.trim() !== html.trim()) { part.innerHTML = html; }
          if (keepGoing || !part.querySelector("[data-final]")) { again(); }
        })
        .catch(function () { window.setTimeout(round, every * 4); });
    }
    again();
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-refresh]"), refresh);
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
