// The video component's facade: a click replaces the link with the provider's player, so
// nothing loads from the provider before the reader asks for it. Without JavaScript the
// facade stays a plain link to the video's page.
(function () {
  "use strict";
  function play(event) {
    var facade = event.currentTarget;
    var embed = facade.getAttribute("data-embed");
    if (!embed || !/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//.test(embed)) return;
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = embed;
    frame.title = facade.getAttribute("data-title") || "";
    frame.allow = "autoplay; fullscreen; picture-in-picture";
    frame.allowFullscreen = true;
    frame.className = "video__spiller";
    facade.replaceWith(frame);
    frame.focus();
  }
  function init() {
    var facades = document.querySelectorAll("a.video__fasade:not([data-klar])");
    for (var i = 0; i < facades.length; i++) {
      facades[i].setAttribute("data-klar", "");
      facades[i].addEventListener("click", play);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
