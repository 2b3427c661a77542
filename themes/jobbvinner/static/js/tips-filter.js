/* Jobbvinner: instant search and filters for the tips archive (progressive enhancement).
   Once the search index has loaded, the hidden form[data-tips-filter] is shown and filters
   [data-tips-list] in place; [data-tips-status] gives the count; the choices go into the
   address (?q=…&malgruppe=…). No index, no change. Text comes from data attributes.

   On a filter page (/tips/malgruppe/ledere/) the page's own term starts chosen in its list,
   so the results are the page's term AND whatever else is chosen, counted against the page's
   tips («Viser 5 av 14 tips»). While that term stays chosen the page keeps its address,
   heading, «Du ser bare tips med …» note ([data-tips-active]) and the aria-current of its
   facet link; once the visitor chooses another term (or «Alle») the page becomes the whole
   archive filtered in place: the address becomes /tips/?…, and the note and aria-current go. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-tips-filter]");
  var list = document.querySelector("[data-tips-list]");
  var status = document.querySelector("[data-tips-status]");
  if (!form || !list || !status || !window.fetch || !window.URLSearchParams || !history.replaceState) return;

  var d = form.dataset;
  var query = document.getElementById("tips-q");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var empty = document.querySelector("[data-tips-empty]");
  var pagination = document.querySelector("[data-tips-pagination]");
  var heading = document.querySelector("[data-tips-heading]");
  var activeNote = document.querySelector("[data-tips-active]");
  // The button of the collapsed filters on narrow screens, and its «(valgt: …)».
  var panelLabel = document.querySelector("[data-filter-panel-label]");
  var panelActive = document.querySelector("[data-filter-panel] .filter-panel__active");
  // The facet links marked as this page (aria-current), to unmark while another filter applies.
  var currentLinks = Array.prototype.slice.call(document.querySelectorAll("nav[data-tips-facets] a[aria-current]"));
  var lang = document.documentElement.lang || "nb";

  // The page as the server wrote it, to return to when the choices match it again.
  var original = {
    list: list.innerHTML,
    status: status.textContent,
    heading: heading ? heading.textContent : "",
    title: document.title,
    path: location.pathname
  };
  // A filter page (/tips/malgruppe/ledere/) starts with its own filter chosen.
  var pageFacet = d.filterTaxonomy || "";
  var pageTerm = d.filterTerm || "";
  var pageTotal = 0; // tips with the page's term, once the index is loaded

  /* Norwegian-aware matching: fold case, accents and æ/ø/å (æ=ae, ø=o, å=aa=a); each word
     searched for must start a word of the tip after an inflection ending is stripped
     («sykepleier» finds «sykepleierne», «lærlingene» finds «lærling»). The shortest stripped
     form that is a word of the tips wins, so «sykepleier» does not find «sykepleie»; other
     words (half typed) lose -erne, -ene, -ane, -ere, -er, -en, -et, -a or -e if 4 letters stay. */
  var SUFFIXES = ["erne", "ene", "ane", "ere", "er", "en", "et", "a", "e"];
  var MORE = SUFFIXES.concat(["ne", "re", "r", "s"]);

  function fold(s) {
    s = String(s || "").toLowerCase()
      .replace(/æ/g, "ae").replace(/[øö]/g, "o").replace(/å/g, "a").replace(/aa/g, "a");
    if (s.normalize) s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    return s;
  }

  function words(s) {
    return fold(s).split(/[^a-z0-9]+/).filter(Boolean);
  }

  function stem(w) {
    for (var i = 0; i < SUFFIXES.length; i++) {
      var suf = SUFFIXES[i];
      if (w.length - suf.length >= 4 && w.slice(-suf.length) === suf) return w.slice(0, -suf.length);
    }
    return w;
  }

  var vocabulary = {};

  // The prefix a word searched for is matched with.
  function prefix(q) {
    var best = vocabulary[q] ? q : "";
    MORE.forEach(function (suf) {
      var s = q.slice(0, -suf.length);
      if (q.slice(-suf.length) === suf && s.length >= 4 && vocabulary[s] && (!best || s.length < best.length)) best = s;
    });
    return best || stem(q);
  }

  var pages = [];

  function prepare(p) {
    var tax = p.taxonomies || {};
    var names = [];
    Object.keys(tax).forEach(function (k) { names = names.concat(tax[k] || []); });
    // " word word …": a prefix test is indexOf(" " + w).
    var seen = {};
    words([p.title, p.description, names.join(" "), p.text].join(" ")).forEach(function (w) { seen[w] = 1; vocabulary[w] = 1; });
    return { page: p, tax: tax, words: " " + Object.keys(seen).join(" ") };
  }

  function state() {
    var s = { q: query ? query.value.trim() : "" };
    selects.forEach(function (el) { s[el.dataset.facet] = el.value; });
    return s;
  }

  function isOriginal(s) {
    if (s.q) return false;
    return selects.every(function (el) {
      var f = el.dataset.facet;
      return f === pageFacet ? s[f] === pageTerm : !s[f];
    });
  }

  function matches(entry, s, terms) {
    for (var i = 0; i < selects.length; i++) {
      var f = selects[i].dataset.facet;
      if (s[f] && (entry.tax[f] || []).indexOf(s[f]) < 0) return false;
    }
    for (var j = 0; j < terms.length; j++) {
      if (entry.words.indexOf(" " + terms[j]) < 0) return false;
    }
    return true;
  }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!m) return "";
    try {
      return new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric" })
        .format(new Date(+m[1], +m[2] - 1, +m[3]));
    } catch (e) {
      return +m[3] + "." + +m[2] + "." + m[1];
    }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  // The same markup as the server's card component (templates/macros.html).
  function card(p) {
    var li = el("li");
    var article = el("article", "card");
    var h = el("h3", "card__title");
    var a = el("a", "", p.title);
    a.href = p.permalink;
    h.appendChild(a);
    article.appendChild(h);
    if (p.description) article.appendChild(el("p", "card__text", p.description));
    var focus = (p.taxonomies && p.taxonomies.fokusomrade) || [];
    var example = p.example || (p.extra && p.extra.example);
    // The card's foot as the theme's card component writes it (macros.html).
    if (focus.length || p.date || example) {
      var meta = el("p", "card__meta");
      if (focus.length) {
        var topic = el("span", "card__topic");
        topic.appendChild(el("span", "card__focus", focus.join(", ")));
        meta.appendChild(topic);
      }
      if (p.date || (example && d.example)) {
        var when = el("span", "card__when");
        if (p.date) {
          var t = el("time", "", formatDate(p.date));
          t.setAttribute("datetime", p.date);
          when.appendChild(t);
        }
        if (example && d.example) {
          if (p.date) when.appendChild(document.createTextNode(" "));
          when.appendChild(el("span", "tag", d.example));
        }
        meta.appendChild(when);
      }
      article.appendChild(meta);
    }
    li.appendChild(article);
    return li;
  }

  var statusTimer;
  function say(text) {
    // Wait for a pause in typing before the live region speaks.
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () { status.textContent = text; }, 300);
  }

  function setUrl(s, keepPath) {
    var params = new URLSearchParams();
    if (s.q) params.set("q", s.q);
    selects.forEach(function (el) {
      var f = el.dataset.facet;
      if (s[f] && !(keepPath && f === pageFacet)) params.set(f, s[f]);
    });
    var qs = params.toString();
    var path = keepPath ? original.path : d.base.replace(/^[a-z]+:\/\/[^/]+/i, "");
    history.replaceState(history.state, "", path + (qs ? "?" + qs : "") + location.hash);
  }

  // Whether the filter page's own term is still chosen (always false on /tips/ itself).
  function onOwnTerm(s) {
    return !!pageFacet && s[pageFacet] === pageTerm;
  }

  // The parts of the page that say which filter page this is: shown only while it is.
  function markPage(own) {
    if (activeNote) activeNote.hidden = !own;
    if (panelActive) panelActive.hidden = !own;
    currentLinks.forEach(function (a) {
      if (own) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
  }

  function update() {
    var s = state();
    if (isOriginal(s)) {
      markPage(true);
      list.innerHTML = original.list;
      clearTimeout(statusTimer);
      status.textContent = original.status;
      if (empty) empty.hidden = true;
      if (pagination) pagination.hidden = false;
      if (heading) heading.textContent = original.heading;
      document.title = original.title;
      history.replaceState(history.state, "", original.path + location.hash);
      return;
    }
    var terms = s.q ? words(s.q).map(prefix) : [];
    var shown = pages.filter(function (e) { return matches(e, s, terms); });
    var frag = document.createDocumentFragment();
    shown.forEach(function (e) { frag.appendChild(card(e.page)); });
    list.innerHTML = "";
    list.appendChild(frag);
    if (empty) empty.hidden = shown.length > 0;
    if (pagination) pagination.hidden = true;
    // Keep the filter page's heading, address and note while its own filter is still chosen;
    // the count is then out of the page's tips, else out of the whole archive.
    var keep = onOwnTerm(s);
    if (heading) heading.textContent = keep ? original.heading : d.title;
    document.title = keep || !d.docTitle ? original.title : d.docTitle;
    markPage(keep);
    setUrl(s, keep);
    var total = keep ? pageTotal : pages.length;
    say((d.status || "{shown} / {total}").replace("{shown}", shown.length).replace("{total}", total));
  }

  function reset() {
    if (query) query.value = "";
    selects.forEach(function (el) { el.value = ""; });
    update();
    if (query) query.focus();
  }

  function offers(el, v) {
    return Array.prototype.some.call(el.options, function (o) { return o.value === v; });
  }

  // The choices from the address; a filter page's own list starts at the page's term (the
  // browser may have restored another choice from history).
  function restore() {
    var params = new URLSearchParams(location.search);
    if (query) query.value = params.has("q") ? params.get("q") : "";
    selects.forEach(function (el) {
      var f = el.dataset.facet;
      var v = params.get(f);
      if (v === null) v = f === pageFacet ? pageTerm : "";
      // Only values the list offers; anything else means «Alle».
      el.value = offers(el, v) ? v : "";
    });
  }

  function start(data) {
    if (!data || !Array.isArray(data.pages)) return;
    pages = data.pages.map(prepare);
    if (pageFacet) {
      pageTotal = pages.filter(function (e) { return (e.tax[pageFacet] || []).indexOf(pageTerm) >= 0; }).length;
    }
    restore();
    form.hidden = false;
    if (panelLabel && panelLabel.dataset.labelJs) panelLabel.textContent = panelLabel.dataset.labelJs;
    // The form takes the facet links' place at the top; the links move below the results.
    var facets = document.querySelector("nav[data-tips-facets]");
    var results = list.closest("section") || list.parentNode;
    if (facets && results.parentNode) {
      results.parentNode.appendChild(facets);
      results.parentNode.classList.add("archive--enhanced");
      Array.prototype.forEach.call(document.querySelectorAll("[data-tips-skip]"), function (a) { a.hidden = true; });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    if (query) query.addEventListener("input", update);
    selects.forEach(function (el) { el.addEventListener("change", update); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-tips-reset]"), function (b) {
      b.addEventListener("click", reset);
    });
    if (!isOriginal(state())) update();
  }

  fetch(d.index, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(start)
    .catch(function () { /* leave the static page untouched */ });
})();
