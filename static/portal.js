/* Returns Portal: focus after htmx swaps (the layout loads it with the
   page's CSP nonce; no eval, so no hx-on). When a step replaces #portal,
   focus moves to the first field with a mistake, else to the form's
   message (role="alert"), else to the new step's heading, so that keyboard
   and screen reader users land where the page changed. Smaller swaps (the
   live total, the IBAN check) leave focus where it is. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (e) {
    var t = e.detail && e.detail.target;
    if (!t || t.id !== "portal") return;
    var root = document.getElementById("portal");
    if (!root) return;
    var el = root.querySelector('[aria-invalid="true"]') ||
      root.querySelector('[role="alert"]') || root.querySelector("h1");
    if (!el) return;
    if (!el.matches("input, select, textarea, button, a[href]") && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus();
  });
})();
