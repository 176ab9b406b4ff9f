/* Returns Portal embed, inside the iframe (the /embed layout loads it with
   the page's CSP nonce). It posts the page's height to the storefront — to
   its exact origin, checked by the server against the configured embed
   origins — on load, when the page resizes and after each htmx swap. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var cfg = document.getElementById("embed-config");
  var parentOrigin = "";
  try { parentOrigin = cfg ? JSON.parse(cfg.textContent).parent : ""; } catch (e) { return; }
  if (!parentOrigin) return;
  var last = -1;
  function post() {
    var h = Math.ceil(document.body ? document.body.getBoundingClientRect().height : 0);
    if (h === last || h <= 0) return;
    last = h;
    window.parent.postMessage({ type: "returns-portal:height", height: h }, parentOrigin);
  }
  function start() {
    post();
    if (window.ResizeObserver) new ResizeObserver(post).observe(document.body);
    document.addEventListener("htmx:afterSwap", post);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.addEventListener("load", post);
})();
