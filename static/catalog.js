// The catalog's JavaScript; the generated forms also work without it (htmx does the rest).
// - Multi-selects (sortBy, searchOn) send their choices in the order they were clicked.
// - The body's form view: an input per field, kept in step with the JSON in both directions.
// - "Sign in again asking for them": opens the sign-in form with those roles.
// - The operations pane follows the environment chosen while signed out; Roles suggestions
//   follow the environment of the sign-in form.
// - After Send, the response is brought into view when it is below the fold.
(function () {
  "use strict";

  // --- Multi-selects keep the order clicked ------------------------------------------
  // Without JavaScript the checkboxes are sent (in page order); here the hidden input is
  // sent instead, holding the choices in the order clicked.
  function setUpMulti(group) {
    if (group.dataset.ready) return;
    group.dataset.ready = "1";
    const hidden = group.querySelector("input[type=hidden][data-order-name]");
    hidden.name = hidden.dataset.orderName;
    group.querySelectorAll("input[type=checkbox]").forEach((box) => box.removeAttribute("name"));
  }

  function showOrder(group, order) {
    group.querySelectorAll("input[type=checkbox]").forEach((box) => {
      const position = order.indexOf(box.value);
      box.closest("label").querySelector(".order").textContent = position < 0 ? "" : position + 1;
    });
  }

  document.addEventListener("change", (event) => {
    const box = event.target;
    const group = box.closest && box.closest("[data-multi]");
    if (!group || box.type !== "checkbox") return;
    const hidden = group.querySelector("input[type=hidden][data-order-name]");
    let order = hidden.value ? hidden.value.split(",") : [];
    order = order.filter((value) => value !== box.value);
    if (box.checked) order.push(box.value);
    hidden.value = order.join(",");
    showOrder(group, order);
  });

  // --- The body's form view ----------------------------------------------------------
  const body = () => document.getElementById("id_body");

  function parseBody() {
    const text = body().value.trim();
    if (!text) return {};
    const value = JSON.parse(text); // throws on invalid JSON
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new SyntaxError("the body is not a JSON object");
    }
    return value;
  }

  function showFieldError(input, message) {
    const field = input.closest(".body-field");
    let error = field.querySelector(".field-error");
    if (!message) {
      input.removeAttribute("aria-invalid");
      if (error) error.remove();
      return;
    }
    if (!error) {
      error = document.createElement("p");
      error.className = "field-error";
      field.append(error);
    }
    error.textContent = message;
    input.setAttribute("aria-invalid", "true");
  }

  // The JSON value of one form-view input: undefined leaves the field out.
  function valueOf(input) {
    const raw = input.value;
    const type = input.dataset.type;
    if (raw.trim() === "") return undefined;
    if (type === "boolean") return raw === "true";
    if (type === "integer" || type === "number") {
      const number = Number(raw);
      if (Number.isNaN(number)) throw new SyntaxError("not a number");
      return number;
    }
    if (type === "json") return JSON.parse(raw);
    return raw;
  }

  function formToJson(input) {
    let data;
    try {
      data = parseBody();
    } catch {
      data = {};
    }
    try {
      const value = valueOf(input);
      if (value === undefined) delete data[input.dataset.bodyField];
      else data[input.dataset.bodyField] = value;
      showFieldError(input, "");
    } catch (error) {
      showFieldError(input, `Not valid ${input.dataset.type === "json" ? "JSON" : "here"}: ${error.message}`);
      return;
    }
    body().value = JSON.stringify(data, null, 2);
  }

  function jsonToForm(form) {
    const data = parseBody();
    form.querySelectorAll("[data-body-field]").forEach((input) => {
      const value = data[input.dataset.bodyField];
      if (value === undefined || value === null) input.value = "";
      else if (input.dataset.type === "json" || typeof value === "object") {
        input.value = JSON.stringify(value, null, 2);
      } else input.value = String(value);
    });
  }

  function bodyProblem(message) {
    const textarea = body();
    let error = document.getElementById("body-view-error");
    if (!message) {
      if (error) error.remove();
      return;
    }
    if (!error) {
      error = document.createElement("p");
      error.id = "body-view-error";
      error.className = "field-error";
      error.setAttribute("role", "alert");
      textarea.after(error);
    }
    error.textContent = message;
  }

  function applyView(composer) {
    const form = composer.querySelector("[data-body-form]");
    const choice = composer.querySelector("[data-body-view] input:checked");
    if (!form || !choice) return;
    const asForm = choice.value === "form";
    if (asForm) {
      try {
        jsonToForm(form);
      } catch (error) {
        composer.querySelector("[data-body-view] input[value=json]").checked = true;
        bodyProblem(`Fix the JSON before using the form view (${error.message}).`);
        return;
      }
    }
    bodyProblem("");
    form.hidden = !asForm;
    body().hidden = asForm;
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.closest && target.closest("[data-body-view]")) {
      applyView(target.closest("form"));
    } else if (target.dataset && target.dataset.bodyField !== undefined) {
      formToJson(target);
    }
  });
  document.addEventListener("input", (event) => {
    const target = event.target;
    if (target.dataset && target.dataset.bodyField !== undefined && target.tagName !== "SELECT") {
      formToJson(target);
    }
  });

  // --- Sign in again asking for the roles an operation needs --------------------------
  document.addEventListener("click", (event) => {
    const trigger = event.target.closest && event.target.closest("[data-signin-roles]");
    if (!trigger) return;
    event.preventDefault();
    const disclosure = document.getElementById("signin-again");
    if (disclosure) disclosure.open = true;
    const roles = document.getElementById("id_roles");
    if (roles) roles.value = trigger.dataset.signinRoles;
    const password = document.getElementById("id_password");
    if (password) {
      password.scrollIntoView({ block: "center" });
      password.focus();
    }
  });

  // --- The environment's operations and roles ------------------------------------------
  // The pane names its URLs: #catalog's data-pane-url and data-roles-url.
  function urlFor(kind, environment) {
    const pane = document.getElementById("catalog");
    const url = pane && pane.dataset[kind];
    return url && `${url}?environment=${encodeURIComponent(environment)}`;
  }

  function loadRoles() {
    const select = document.getElementById("id_environment");
    const url = select && urlFor("rolesUrl", select.value);
    if (!url || !document.getElementById("known-roles")) return;
    htmx.ajax("GET", url, { target: "#known-roles", swap: "outerHTML" });
  }

  document.addEventListener("change", (event) => {
    if (event.target.id !== "id_environment") return;
    loadRoles();
    // Signed out, the composer sends to the environment chosen: show its operations.
    const url = urlFor("paneUrl", event.target.value);
    if (url && document.querySelector(".auth-status.is-signed-out")) {
      // The first environment's operations may still be loading: their answer must not
      // land after (and over) the new one's.
      const loading = document.querySelector("#catalog .catalog-loading");
      if (loading) htmx.trigger(loading, "htmx:abort");
      htmx.ajax("GET", url, { target: "#catalog", swap: "outerHTML" });
    }
  });

  // --- After a swap --------------------------------------------------------------------
  htmx.onLoad((element) => {
    element.querySelectorAll("[data-multi]").forEach(setUpMulti);
    element.querySelectorAll("[data-body-view]").forEach((choice) => {
      choice.hidden = false;
      applyView(choice.closest("form"));
    });
    if (element.id === "catalog" && element.querySelector("#catalog-results")) loadRoles();
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const config = event.detail.requestConfig;
    const elt = config && config.elt;
    // An operation chosen in the tree: it is the current one now.
    if (elt && elt.matches && elt.matches("a.op-link")) {
      document.querySelectorAll("#catalog a.op-link[aria-current]").forEach((link) => {
        link.removeAttribute("aria-current");
      });
      elt.setAttribute("aria-current", "page");
    }
    // A request sent: bring its response into view when it is below the fold.
    if (event.detail.target && event.detail.target.id === "workspace" && elt && elt.id === "composer") {
      const result = document.getElementById("result");
      if (result && result.getBoundingClientRect().top > window.innerHeight - 80) {
        result.scrollIntoView({ behavior: "smooth", block: "start" });
      }
    }
  });
})();
