// After an htmx swap: the page's title follows what the page now shows, and on the
// "Getting started" page the focus goes where the tour continues, with the response of
// the step just sent in view.
"use strict";
(() => {
  const focusable = "input:not([type=hidden]), select, textarea, button";

  function continueTour(tour) {
    const step = document.getElementById(`step-${tour.dataset.focusStep}`);
    if (!step) return;
    const forms = step.querySelectorAll("form");
    const last = forms.length ? forms[forms.length - 1] : step;
    let target = step.querySelector("[role=alert]") || last.querySelector(focusable);
    if (step.classList.contains("is-done")) {
      const next = tour.querySelector(".tour-step.is-current");
      target = (next && next.querySelector(focusable)) || target;
    }
    if (target && target.matches("[role=alert]")) target.tabIndex = -1;
    if (target) target.focus({ preventScroll: true });
    const shown = step.querySelector(".tour-result") || target;
    if (shown) shown.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("htmx:afterSettle", () => {
    const title = document.getElementById("page-title");
    if (title) document.title = title.dataset.title;
    const tour = document.getElementById("tour");
    if (tour && tour.dataset.focusStep) continueTour(tour);
  });
})();
