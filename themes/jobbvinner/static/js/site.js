/* Jobbvinner: small enhancements of disclosures (<details>) that work without this script.
   - The main menu (details[data-menu]): Escape (while focus is in it) closes it and puts focus back on its button.
     (The open menu pushes the page down rather than covering it, so it may stay open.)
   - details[data-open-wide="<media query>"] (the main menu, the tips filter) are always open
     on wide screens: site.css shows their content there with ::details-content; a browser
     without it gets them opened here while the query matches. */
(function () {
  "use strict";

  var all = Array.prototype.slice.call(document.querySelectorAll("details[data-open-wide]"));
  var styled = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (!styled && window.matchMedia) {
    all.forEach(function (d) {
      var mq = window.matchMedia(d.getAttribute("data-open-wide"));
      var sync = function () { if (mq.matches) d.open = true; };
      sync();
      if (mq.addEventListener) mq.addEventListener("change", sync);
    });
  }

  // Copy-link buttons (partials/share.html): shown only where the browser can copy.
  if (navigator.clipboard && window.isSecureContext) {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy-link]"), function (b) {
      var status = b.closest(".share") && b.closest(".share").querySelector("[role=status]");
      b.hidden = false;
      b.addEventListener("click", function () {
        navigator.clipboard.writeText(b.getAttribute("data-copy-link")).then(function () {
          if (status) status.textContent = b.getAttribute("data-copied");
        });
      });
    });
  }

  var menu = document.querySelector("details[data-menu]");
  if (!menu) return;
  var button = menu.querySelector("summary");
  // The menu behaves as a disclosure only while its button is shown (narrow screens).
  function collapsible() {
    return button && button.getClientRects().length > 0;
  }
  document.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && menu.open && collapsible() && menu.contains(document.activeElement)) {
      e.preventDefault();
      menu.open = false;
      button.focus();
    }
  });
})();
