// The little JavaScript the console needs; every form also works without it.
// - Environment picker: pre-fill the Client ID and Roles of the chosen environment.
// - Composer: Ctrl/Cmd+Enter sends; "Add" and "Remove" row buttons act in place.
// - htmx: focus the first bad field after a swap; say so when the console cannot be reached.
(function () {
  "use strict";

  function optionFor(select, value) {
    return Array.from(select.options).find((option) => option.value === value);
  }

  // Replace a pre-filled value only when the user has not typed their own.
  function prefill(input, previous, next) {
    if (input && (input.value === "" || input.value === previous)) input.value = next;
  }

  document.addEventListener("change", (event) => {
    const select = event.target;
    if (select.id !== "id_environment") return;
    const previous = optionFor(select, select.dataset.previous || "");
    const chosen = select.selectedOptions[0];
    if (!chosen) return;
    // A Client ID belongs to one environment: one that has its own always gets it.
    const clientId = document.getElementById("id_client_id");
    if (clientId && chosen.dataset.clientId) clientId.value = chosen.dataset.clientId;
    else prefill(clientId, previous ? previous.dataset.clientId : "", chosen.dataset.clientId);
    prefill(
      document.getElementById("id_roles"),
      previous ? previous.dataset.roles : "",
      chosen.dataset.roles,
    );
    select.dataset.previous = chosen.value;
    const url = document.getElementById("environment-url");
    if (url) url.textContent = chosen.dataset.baseUrl;
    // Signed out, the composer sends (without a token) to the chosen environment.
    if (document.querySelector(".auth-status.is-signed-out")) {
      const target = document.querySelector("#composer input[name=environment]");
      if (target) target.value = chosen.value;
      const name = document.getElementById("target-name");
      if (name) name.textContent = chosen.textContent;
      const targetUrl = document.getElementById("target-url");
      if (targetUrl) targetUrl.textContent = chosen.dataset.baseUrl;
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    const form = event.target.closest && event.target.closest("#composer");
    if (!form) return;
    event.preventDefault();
    form.requestSubmit(form.querySelector("button.send"));
  });

  function renumber(list, kind) {
    const label = { query: "Query parameter", header: "Header", filter: "Filter" }[kind];
    list.querySelectorAll("[data-row]").forEach((row, i) => {
      const [name, value] = row.querySelectorAll("input");
      name.id = `${kind}-name-${i}`;
      value.id = `${kind}-value-${i}`;
      name.setAttribute("aria-label", `${label} ${i + 1} name`);
      value.setAttribute("aria-label", `${label} ${i + 1} value`);
      const remove = row.querySelector("button[name=remove_row]");
      remove.value = `${kind}-${i}`;
      remove.setAttribute("aria-label", `Remove ${label.toLowerCase()} ${i + 1}`);
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("#composer button");
    if (!button || (button.name !== "add_row" && button.name !== "remove_row")) return;
    event.preventDefault();
    const fieldset = button.closest("fieldset.rows");
    const list = fieldset.querySelector(".row-list");
    const kind = fieldset.dataset.kind;
    if (button.name === "add_row") {
      const rows = list.querySelectorAll("[data-row]");
      const row = rows[rows.length - 1].cloneNode(true);
      row.classList.remove("invalid");
      row.querySelectorAll(".field-error").forEach((error) => error.remove());
      row.querySelectorAll("input").forEach((input) => {
        input.value = "";
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      });
      list.appendChild(row);
      renumber(list, kind);
      row.querySelector("input").focus();
    } else {
      const row = button.closest("[data-row]");
      if (list.querySelectorAll("[data-row]").length > 1) {
        row.remove();
      } else {
        row.querySelectorAll("input").forEach((input) => (input.value = ""));
      }
      renumber(list, kind);
    }
  });

  // Keep the keyboard user's place across a swap: bad input takes the focus (its message
  // is read with it), else the new copy of the element that had it, e.g. the button
  // pressed (htmx alone cannot: the button is disabled, so unfocused, during the request),
  // or the disclosure it folded into (a signed-in sign-in form), or where the form that
  // went away says to go next (`data-focus-after`: Sign out leads to the Username field).
  function placeOf(element) {
    const closed = element.closest("details:not([open])");
    return closed ? closed.querySelector("summary") : element;
  }

  // Where the focus was when each request began, by the element that made it: another
  // request beginning meanwhile (the operations pane, the roles) must not overwrite it.
  const focusedAt = new WeakMap();
  document.addEventListener("htmx:beforeRequest", (event) => {
    const focused = (document.activeElement && document.activeElement.id) || "";
    focusedAt.set(event.detail.elt, focused);
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const config = event.detail.requestConfig;
    const focusedId = (config && focusedAt.get(config.elt)) || "";
    const formId = config && config.elt && config.elt.id;
    const form = formId && document.getElementById(formId);
    const invalid = form && form.querySelector("[aria-invalid=true]");
    const lost = !document.activeElement || document.activeElement === document.body;
    const previous =
      (focusedId && document.getElementById(focusedId)) ||
      (config && config.elt && document.getElementById(config.elt.dataset.focusAfter || ""));
    if (invalid) invalid.focus();
    else if (lost && previous) placeOf(previous).focus();
  });

  // The console refuses a form post over its limit (Django's DATA_UPLOAD_MAX_MEMORY_SIZE,
  // counted as sent: URL-encoded). Say so at the Body field instead of sending it. Sign in
  // and out carry the composer's fields only to keep them; too large, they go without the
  // body rather than not at all.
  function encodedSize(formData) {
    let size = -1;
    formData.forEach((value, name) => {
      size += encodeURIComponent(name).length + encodeURIComponent(value).length + 2;
    });
    return Math.max(size, 0);
  }

  // As Django's filesizeformat writes it.
  function sizeText(bytes) {
    if (bytes < 1024) return `${bytes} bytes`;
    if (bytes < 1048576) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1048576).toFixed(1)} MB`;
  }

  function showBodyError(message) {
    const body = document.getElementById("id_body");
    let error = document.getElementById("body-error");
    if (!error) {
      error = document.createElement("p");
      error.id = "body-error";
      error.className = "field-error";
      body.after(error);
    }
    error.textContent = message;
    body.setAttribute("aria-invalid", "true");
    body.setAttribute("aria-describedby", "body-error");
    body.focus();
  }

  document.addEventListener("htmx:configRequest", (event) => {
    const composer = document.getElementById("composer");
    const limit = composer && Number(composer.dataset.maxBytes);
    if (!limit) return;
    const size = encodedSize(event.detail.formData);
    if (size <= limit) return;
    if (event.detail.elt !== composer) {
      delete event.detail.parameters.body;
      return;
    }
    event.preventDefault();
    showBodyError(
      `The request is ${sizeText(size)}, over the console's limit of ${sizeText(limit)}: ` +
        "shorten the body. Nothing was sent.",
    );
  });

  function showProblem(message) {
    const result = document.getElementById("result");
    if (!result) return;
    let problem = document.getElementById("console-problem");
    if (!problem) {
      problem = document.createElement("p");
      problem.id = "console-problem";
      problem.className = "alert alert-error";
      problem.setAttribute("role", "alert");
      result.prepend(problem);
    }
    problem.textContent = message;
  }

  document.addEventListener("htmx:sendError", () => {
    showProblem("The console server could not be reached. Check that it is running.");
  });
  document.addEventListener("htmx:responseError", (event) => {
    showProblem(`The console answered ${event.detail.xhr.status}. Reload the page and try again.`);
  });
})();
