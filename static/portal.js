/* Returns Portal (the layout loads it with the page's CSP nonce; no eval,
   so no hx-on). Everything here improves a page that works without it:
   - after htmx replaces #portal, focus moves to the first field with a
     mistake, else to the form's message (role="alert"), else to the new
     step's heading, so that keyboard and screen reader users land where
     the page changed; smaller swaps leave focus where it is;
   - "copy link" copies a return's link (the button is hidden without a
     script: the link is then selected and copied by hand);
   - a link with data-dialog opens that dialog instead of its page (the
     cancel question); a button with data-close closes it;
   - a photo picker names the files chosen (its input is visually hidden
     under a translated label). */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (e) {
    var t = e.detail && e.detail.target;
    if (!t || t.id !== "portal") return;
    var root = document.getElementById("portal");
    if (!root) return;
    reveal(root);
    var el = root.querySelector('[aria-invalid="true"]') ||
      root.querySelector('[role="alert"]') || root.querySelector("h1");
    if (!el) return;
    if (!el.matches("input, select, textarea, button, a[href]") && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus();
  });

  function reveal(root) {
    root.querySelectorAll("button[data-copy][hidden]").forEach(function (b) { b.hidden = false; });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  } else {
    reveal(document);
  }

  function copied(button, ok) {
    var out = button.closest(".keep-link").querySelector(".copy-result");
    if (out) out.textContent = ok ? button.getAttribute("data-copied") : "";
  }

  document.addEventListener("click", function (e) {
    var copy = e.target.closest("button[data-copy]");
    if (copy) {
      var input = document.getElementById(copy.getAttribute("data-copy"));
      if (!input) return;
      input.select();
      // A storefront's iframe may not grant the Clipboard API (the
      // permissions policy): then copy the selection the older way.
      var policy = document.permissionsPolicy || document.featurePolicy;
      var granted = !policy || policy.allowsFeature("clipboard-write");
      if (navigator.clipboard && window.isSecureContext && granted) {
        navigator.clipboard.writeText(input.value).then(function () { copied(copy, true); },
          function () { copied(copy, document.execCommand("copy")); });
      } else {
        copied(copy, document.execCommand("copy"));
      }
      return;
    }
    var opener = e.target.closest("a[data-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-dialog"));
      if (dialog && dialog.showModal) {
        e.preventDefault();
        dialog.showModal();
      }
      return;
    }
    var closer = e.target.closest("button[data-close]");
    if (closer) {
      var d = document.getElementById(closer.getAttribute("data-close"));
      if (d) d.close();
    }
  });

  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input.file-input")) return;
    var out = input.parentNode.querySelector(".file-names");
    if (!out) return;
    var names = [];
    for (var i = 0; i < input.files.length; i++) names.push(input.files[i].name);
    out.textContent = names.join(", ");
  });
})();
