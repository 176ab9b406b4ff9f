/* Staff area (loaded by views/admin_layout.templ with the page's CSP nonce;
   no inline handlers, no eval). Everything here only improves pages that
   work without it:
   - A form with data-confirm="<dialog id>" opens that dialog instead of
     going to its confirmation page (the refund asks first). showModal moves
     the focus into it (to the autofocus button: Enter confirms); Escape and
     the dialog's Cancel close it, and the focus returns to the opener.
   - The receiving bench sounds a short tone per scan result (Web Audio,
     generated, no file): one high beep when the parcel is in, two middle
     ones for "nothing to do", a low buzz for "do not accept". The colour,
     icon and text of the result say the same without sound. */
(function () {
  "use strict";

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var id = form && form.getAttribute && form.getAttribute("data-confirm");
    if (!id) return;
    var dialog = document.getElementById(id);
    if (!dialog || typeof dialog.showModal !== "function") return; // the page instead
    e.preventDefault();
    var opener = e.submitter || form.querySelector("button");
    dialog.addEventListener("close", function back() {
      dialog.removeEventListener("close", back);
      if (opener) opener.focus();
    });
    dialog.showModal();
  });

  var audio = null;
  var tones = {
    ok: [[880, 0, 0.12]],
    warn: [[520, 0, 0.1], [520, 0.16, 0.1]],
    error: [[180, 0, 0.45]]
  };

  function soundOn() {
    var box = document.getElementById("scan-sound");
    return !box || box.checked;
  }

  function play(cue) {
    var notes = tones[cue];
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!notes || !Ctx || !soundOn()) return;
    try {
      audio = audio || new Ctx();
      var t0 = audio.currentTime + 0.01;
      notes.forEach(function (n) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = cue === "error" ? "square" : "sine";
        osc.frequency.value = n[0];
        gain.gain.setValueAtTime(0.2, t0 + n[1]);
        gain.gain.exponentialRampToValueAtTime(0.001, t0 + n[1] + n[2]);
        osc.connect(gain).connect(audio.destination);
        osc.start(t0 + n[1]);
        osc.stop(t0 + n[1] + n[2] + 0.02);
      });
    } catch (err) {
      /* no sound: the visual cue remains */
    }
  }

  document.addEventListener("htmx:afterSwap", function (e) {
    var t = e.detail && e.detail.target;
    if (!t || t.id !== "scan") return;
    var scan = document.getElementById("scan");
    var result = scan && scan.querySelector("[data-testid=scan-result]");
    if (result) play(result.getAttribute("data-cue"));
  });

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-testid=sound-toggle]");
    if (toggle) toggle.hidden = false;
  });
})();
