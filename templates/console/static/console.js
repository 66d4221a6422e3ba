// Live counts: an element with data-live="URL" reloads its content from URL every 5 s.
// Without JavaScript the page shows the counts of its loading time (reload for newer ones).
(function () {
  "use strict";
  function refresh(element) {
    fetch(element.dataset.live, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) { if (html !== null) { element.innerHTML = html; } })
      .catch(function () {});
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live]").forEach(function (element) {
      setInterval(function () { refresh(element); }, 5000);
    });
  });
}());
