// Progressive enhancement: while a customer describes their problem, FAQ articles that match
// are fetched (an HTML fragment the server rendered and escaped) and shown under the box.
// Without this script the form works the same; the FAQ page searches too.
(function () {
  "use strict";
  var box = document.querySelector("textarea[data-suggest]");
  var out = document.getElementById("suggestions");
  if (!box || !out) { return; }
  var timer = null, last = "";
  function ask() {
    var text = box.value.trim();
    if (text === last || text.length < 2) { return; }
    last = text;
    fetch(box.getAttribute("data-suggest") + "?q=" + encodeURIComponent(text.slice(0, 500)),
          { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        // The fragment is our own server's escaped HTML (same origin, CSP 'self').
        var parsed = new DOMParser().parseFromString(html, "text/html");
        out.replaceChildren.apply(out, Array.prototype.slice.call(parsed.body.childNodes));
      })
      .catch(function () { /* no suggestions: the form still works */ });
  }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 300);
  });
}());
