/* Search over the press releases, in the browser: lunr.js over the month shards that
   `syndication build` writes (syndication/search/index.py). The page works without this
   script (it says so and links the archives); with it, the form appears and answers
   ?q=... in place. Every word shown comes from the page (data-* attributes, from the
   gettext catalogs); results are written with textContent, never as HTML. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.lunr || !window.fetch) { return; }
  var input = document.getElementById("search-words");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var words = form.dataset;
  var plural = new Intl.PluralRules(document.documentElement.lang);
  // The same folding as the index (syndication/search/index.py: fold, words).
  var fold = function (text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  };
  var foldAccents = function (token) { return token.update(fold); };
  lunr.Pipeline.registerFunction(foldAccents, "foldAccents");
  lunr.tokenizer.separator = /[\s\-'\u2019\u2018`]+/;
  var shards = null;

  function load() {
    if (shards) { return shards; }
    var base = form.getAttribute("data-shards");
    shards = fetch(base + "shards.json").then(function (answer) { return answer.json(); })
      .then(function (listing) {
        return Promise.all(listing.shards.map(function (name) {
          return fetch(base + name).then(function (answer) { return answer.json(); })
            .then(function (shard) {
              return { index: lunr.Index.load(shard.index), docs: shard.docs };
            });
        }));
      });
    return shards;
  }

  function terms(text) {
    // Every word must appear (a press archive is searched for names and topics), and a
    // word may be the start of a longer one.
    // Folded here: lunr skips the search pipeline for a term with a wildcard.
    return lunr.tokenizer(text).map(function (token) {
      var word = fold(token.toString())
        .replace(/^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu, "")
        .replace(/[:~^*+\-]/g, "");
      return word ? "+" + word + "*" : "";
    }).filter(Boolean).join(" ");
  }

  function show(hits) {
    list.textContent = "";
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.doc[1];
      link.textContent = hit.doc[0];
      var time = document.createElement("time");
      time.dateTime = hit.doc[3];
      time.textContent = hit.doc[2];
      var summary = document.createElement("p");
      summary.textContent = hit.doc[4];
      item.append(link, document.createElement("br"), time, summary);
      list.append(item);
    });
    var count = hits.length;
    var template = count === 0 ? words.none
      : (plural.select(count) === "one" ? words.one : words.other);
    status.textContent = template.replace("%(count)s", count.toLocaleString(document.documentElement.lang));
  }

  function search(text) {
    var query = terms(text);
    if (!query) { list.textContent = ""; status.textContent = ""; return; }
    status.textContent = words.loading;
    load().then(function (loaded) {
      var hits = [];
      loaded.forEach(function (shard) {
        shard.index.search(query).forEach(function (result) {
          hits.push({ score: result.score, doc: shard.docs[result.ref] });
        });
      });
      hits.sort(function (a, b) { return b.score - a.score || (a.doc[3] < b.doc[3] ? 1 : -1); });
      show(hits.slice(0, 100));
    }).catch(function () { status.textContent = words.unavailable; });
  }

  form.hidden = false;
  document.getElementById("search-without-script").hidden = true;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    search(input.value);
  });
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) { input.value = asked; search(asked); }
}());
