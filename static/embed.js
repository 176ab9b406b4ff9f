/* Returns Portal embed, storefront side. Include it beside the iframe:
     <iframe src="https://returns.example/embed?parent=https://shop.example" ...></iframe>
     <script src="https://returns.example/static/embed.js" defer></script>
   It listens for the height the portal page reports and sets the iframe's
   height. It accepts a message only from the portal's origin (this script's
   own) and only from the window of one of the page's iframes showing the
   portal, and clamps the height to 200..5000 px. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL || !window.addEventListener) return;
  var origin = new URL(script.src, document.baseURI).origin;
  var MIN = 200, MAX = 5000;
  window.addEventListener("message", function (event) {
    if (event.origin !== origin) return;
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "returns-portal:height") return;
    var h = Number(data.height);
    if (!isFinite(h)) return;
    h = Math.min(MAX, Math.max(MIN, Math.ceil(h)));
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = h + "px";
        frames[i].setAttribute("height", String(h));
        return;
      }
    }
  });
})();
