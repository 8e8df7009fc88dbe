// Identities in the page; every form also works without this.
// - The active token's expiry counts down, every second.
// - A revealed token leaves the page again: on "Hide token", after a minute, with the next
//   request, or when the page is left.
// - A Send (or Compare as) pressed while a sign-in, impersonation, switch or sign-out is
//   in flight waits for it, then goes as the context it left active; or says why not.
//   What was typed into the request meanwhile is kept.
// - "Send as": the line under the request says where, and as whom, it goes.
// - The token inspector stays open across the swaps that refresh the context bar.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // --- Countdown ---------------------------------------------------------------------------
  function remaining(seconds) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = String(seconds % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
  }

  function tick() {
    document.querySelectorAll(".countdown[data-expires-at]").forEach((element) => {
      const left = Math.floor((Date.parse(element.dataset.expiresAt) - Date.now()) / 1000);
      element.textContent = left > 0 ? remaining(left) : "0:00, expired";
      element.classList.toggle("expired", left <= 0);
    });
  }
  tick();
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSettle", tick);

  // --- A revealed token leaves the page ------------------------------------------------------
  const REVEAL_SECONDS = 60;
  let hideTimer = 0;

  function hideToken() {
    clearTimeout(hideTimer);
    const reveal = document.getElementById("token-reveal");
    if (reveal) reveal.replaceChildren();
  }

  function armHide() {
    if (document.getElementById("revealed-token")) {
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hideToken, REVEAL_SECONDS * 1000);
    }
  }
  armHide();
  document.addEventListener("htmx:afterSettle", armHide);
  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest("[data-hide-token]")) hideToken();
  });
  window.addEventListener("pagehide", hideToken);

  // --- Sends wait for an identity change in flight -------------------------------------------
  let identityRequest = null; // the element whose identity request is in flight
  let queued = null; // {button: the id of the button pressed meanwhile}

  function say(message) {
    let note = document.getElementById("send-wait");
    const line = document.querySelector("#composer .request-line");
    if (!note && line) {
      note = document.createElement("p");
      note.id = "send-wait";
      note.className = "hint send-wait";
      note.setAttribute("role", "status");
      line.after(note);
    }
    if (note) note.textContent = message;
  }

  document.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt;
    if (!elt.closest) return;
    if (!elt.closest("#token-reveal, [hx-target='#token-reveal']")) hideToken();
    // Only what changes the identity (a POST); a GET made from inside an identity form,
    // such as the roles list the operations pane refreshes, is not one.
    const config = event.detail.requestConfig;
    if (elt.closest("[data-identity]") && config && config.verb === "post") identityRequest = elt;
  });

  document.addEventListener("htmx:confirm", (event) => {
    const elt = event.detail.elt;
    if (!identityRequest || !elt.closest || !elt.closest("#composer")) return;
    event.preventDefault();
    queued = { button: elt.id === "compare-button" ? "compare-button" : "send-button" };
    say("Waiting for the sign-in to finish: the request goes out as soon as it has.");
  });

  // The swapped page has a new composer, rendered from the fields as they were when the
  // identity request began: the fields as they are now are moved into it, in the same task
  // as the swap, so nothing typed (or a Send clicked) in between is lost.
  const COMPOSED = ["#id_method", "#id_path", ".rows-grid", "#id_body"];
  let replaced = null; // the composer card the identity swap is replacing

  document.addEventListener("htmx:beforeSwap", (event) => {
    const config = event.detail.requestConfig;
    if (identityRequest && config && config.elt === identityRequest) {
      replaced = document.getElementById("composer-card");
    }
  });

  document.addEventListener("htmx:afterSwap", () => {
    const before = replaced;
    replaced = null;
    const form = document.getElementById("composer");
    if (!before || !form || before.contains(form)) return;
    COMPOSED.forEach((selector) => {
      const typed = before.querySelector(selector);
      const fresh = form.querySelector(selector);
      if (typed && fresh) fresh.replaceWith(typed);
    });
  });

  function resume(waiting, ok) {
    const failed =
      !ok || document.querySelector("#signin-error, #impersonate-error, #identity-error");
    const active = document.getElementById("id_context");
    const name = active && active.selectedOptions[0] ? active.selectedOptions[0].text : "";
    if (failed) {
      say(
        "Not sent: the sign-in did not succeed (see its error). " +
          (name ? `Send again to send as ${name}.` : "Send again to send without a token."),
      );
      return;
    }
    const button = document.getElementById(waiting.button);
    if (button) button.click();
  }

  document.addEventListener("htmx:afterRequest", (event) => {
    const config = event.detail.requestConfig;
    if (!identityRequest || !config || config.elt !== identityRequest) return;
    identityRequest = null;
    const waiting = queued;
    queued = null;
    if (waiting) setTimeout(() => resume(waiting, event.detail.successful), 40);
  });

  // --- Send as --------------------------------------------------------------------------------
  document.addEventListener("change", (event) => {
    const select = event.target;
    if (select.id !== "id_send_as") return;
    const chosen = select.selectedOptions[0];
    if (!chosen) return;
    const environment = document.querySelector("#composer input[name=environment]");
    if (environment) environment.value = chosen.dataset.environment;
    const name = document.getElementById("target-name");
    if (name) name.textContent = chosen.dataset.environmentName;
    const url = document.getElementById("target-url");
    if (url) url.textContent = chosen.dataset.baseUrl;
    const auth = document.getElementById("target-auth");
    if (!auth) return;
    if (!chosen.value) {
      auth.textContent = "without a token";
      return;
    }
    const who = document.createElement("strong");
    who.id = "target-context";
    who.textContent = chosen.text.replace(/ \(active\)$/, "");
    auth.replaceChildren("with the token of ", who);
  });

  // --- The token inspector stays open ---------------------------------------------------------
  let inspectorOpen = false;
  document.addEventListener("htmx:beforeSwap", () => {
    const inspector = document.getElementById("token-inspector");
    inspectorOpen = Boolean(inspector && inspector.open);
  });
  document.addEventListener("htmx:afterSettle", () => {
    const inspector = document.getElementById("token-inspector");
    if (inspectorOpen && inspector) inspector.open = true;
  });
})();
