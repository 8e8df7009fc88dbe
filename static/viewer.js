// The response viewer, export buttons, theme and keyboard shortcuts.
//
// The viewer fetches the response body from the session's history (never inlined in the
// page) and shows it as rows of one fixed height, only the rows in view being in the DOM:
// a 10 MB body costs the page as many nodes as a 1 KB one. Everything from upstream goes
// into the page as text (textContent), never as HTML.
(function () {
  "use strict";

  // --- Theme: follows the system unless the user picked one (kept in localStorage). ---
  const THEMES = ["system", "light", "dark"];
  function storedTheme() {
    try {
      return localStorage.getItem("console.theme") || "system";
    } catch (e) {
      return "system";
    }
  }
  function applyTheme(theme) {
    if (theme === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    const button = document.getElementById("theme-toggle");
    if (button) {
      button.textContent = { system: "Theme: system", light: "Theme: light", dark: "Theme: dark" }[theme];
    }
  }
  applyTheme(storedTheme());
  document.documentElement.classList.add("js");

  const ROW = 20; // px, as .viewer-row's height in console.css
  const NOWRAP_COLS = 2000; // longer lines continue on the next row even without wrapping
  const IDENT = /^[A-Za-z_$][\w$]*$/;

  // --- Models: lines of a JSON document (tree) or of plain text -----------------------

  // The JSON document as lines: one per value, plus one per closing bracket.
  function jsonLines(root) {
    const lines = [];
    const stack = [];
    function emit(key, value, depth, parent, last) {
      const line = { d: depth, k: key, v: value, p: parent, c: !last };
      lines.push(line);
      if (value !== null && typeof value === "object") {
        const keys = Array.isArray(value) ? null : Object.keys(value);
        const n = keys ? keys.length : value.length;
        if (n) {
          line.open = keys ? "{" : "[";
          line.n = n;
          stack.push({ line, index: lines.length - 1, keys, i: 0, n, value, depth });
        }
      }
    }
    emit(undefined, root, 0, -1, true);
    while (stack.length) {
      const frame = stack[stack.length - 1];
      if (frame.i < frame.n) {
        const key = frame.keys ? frame.keys[frame.i] : frame.i;
        frame.i += 1;
        emit(frame.keys ? key : undefined, frame.value[key], frame.depth + 1, frame.index, frame.i === frame.n);
        if (!frame.keys) lines[lines.length - 1].i = key;
      } else {
        stack.pop();
        frame.line.close = lines.length;
        lines.push({ d: frame.depth, closeOf: frame.index, c: frame.line.c, p: frame.line.p });
      }
    }
    return lines;
  }

  function leaf(value) {
    if (typeof value === "string") return ["s", JSON.stringify(value)];
    if (typeof value === "number") return ["n", String(value)];
    if (typeof value === "boolean") return ["b", String(value)];
    if (value === null) return ["z", "null"];
    return ["p", Array.isArray(value) ? "[]" : "{}"];
  }

  // Tokens ([class, text]) of line i; a folded line shows its closing bracket too.
  function jsonTokens(lines, i) {
    const line = lines[i];
    const gutter = line.open ? (line.folded ? "▸ " : "▾ ") : "  ";
    const tokens = [["g", gutter], ["", "  ".repeat(line.d)]];
    if (line.closeOf !== undefined) {
      tokens.push(["p", lines[line.closeOf].open === "{" ? "}" : "]"]);
    } else {
      if (line.k !== undefined) tokens.push(["k", JSON.stringify(line.k)], ["p", ": "]);
      if (line.open) {
        if (line.folded) {
          const shut = line.open === "{" ? "}" : "]";
          tokens.push(["p", line.open + "…" + shut]);
          tokens.push(["m", ` ${line.n.toLocaleString("en-US")} ${line.open === "{" ? "keys" : "items"}`]);
        } else {
          tokens.push(["p", line.open]);
        }
      } else {
        tokens.push(leaf(line.v));
      }
    }
    if (line.c) tokens.push(["p", ","]);
    return tokens;
  }

  function jsonModel(root) {
    const lines = jsonLines(root);
    return {
      tree: true,
      lines,
      count: lines.length,
      tokens: (i) => jsonTokens(lines, i),
      text: (i) => jsonTokens(lines, i).map((t) => t[1]).join(""),
    };
  }

  function textModel(text) {
    const lines = text.split("\n");
    return {
      tree: false,
      lines,
      count: lines.length,
      tokens: (i) => [["", lines[i]]],
      text: (i) => lines[i],
    };
  }

  // `Items[3].xp.Color`: the path of line i in its document.
  function pathOf(lines, i) {
    const parts = [];
    let line = lines[i];
    if (line.closeOf !== undefined) line = lines[line.closeOf];
    while (line && line.p !== -1 && line.p !== undefined) {
      if (line.k !== undefined) parts.unshift(IDENT.test(line.k) ? "." + line.k : `[${JSON.stringify(line.k)}]`);
      else parts.unshift(`[${line.i}]`);
      line = lines[line.p];
    }
    return parts.join("").replace(/^\./, "");
  }

  function valueOf(lines, i) {
    let line = lines[i];
    if (line.closeOf !== undefined) line = lines[line.closeOf];
    if (typeof line.v === "string") return line.v;
    return JSON.stringify(line.v, null, 2);
  }

  // --- The view: rows of one height, only those in view in the DOM ----------------------

  function Viewer(root, text, contentType) {
    this.root = root;
    this.text = text;
    let json = null;
    if (/json/i.test(contentType) || /^\s*[[{]/.test(text)) {
      try {
        const parsed = JSON.parse(text);
        performance.mark("viewer:parsed");
        json = jsonModel(parsed);
        performance.mark("viewer:flattened");
      } catch (e) {
        json = null;
      }
    }
    this.models = { pretty: json || textModel(text), raw: null };
    this.mode = "pretty";
    this.wrap = false;
    this.selected = -1;
    this.matches = [];
    this.current = -1;
    this.build();
    performance.mark("viewer:built");
    this.setModel("pretty");
    performance.mark("viewer:shown");
  }

  Viewer.prototype.build = function () {
    const root = this.root;
    root.replaceChildren();
    const head = root.dataset.head || "";
    if (head) {
      const details = document.createElement("details");
      details.className = "viewer-head";
      const summary = document.createElement("summary");
      const lines = head.trim().split("\n");
      summary.textContent = `${lines[0]} · ${lines.length - 1} headers`;
      const pre = document.createElement("pre");
      pre.textContent = lines.slice(1).join("\n");
      details.append(summary, pre);
      root.append(details);
    }
    this.selection = document.createElement("div");
    this.selection.className = "viewer-selection";
    this.selection.hidden = true;
    this.pathEl = document.createElement("code");
    const copyPath = button("Copy path", () => copy(this.pathEl.textContent, "Path copied"));
    const copyValue = button("Copy value", () => {
      copy(valueOf(this.model.lines, this.selected), "Value copied");
    });
    this.selection.append(this.pathEl, copyPath, copyValue);

    this.scroller = document.createElement("div");
    this.scroller.className = "viewer-scroll";
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute("role", "region");
    this.scroller.setAttribute("aria-label", "Response content");
    this.sizer = document.createElement("div");
    this.sizer.className = "viewer-sizer";
    this.rowsEl = document.createElement("div");
    this.rowsEl.className = "viewer-rows";
    this.sizer.append(this.rowsEl);
    this.scroller.append(this.sizer);
    root.append(this.selection, this.scroller);
    root.hidden = false;

    const probe = document.createElement("span");
    probe.className = "viewer-row";
    probe.textContent = "0".repeat(100);
    this.rowsEl.append(probe);
    this.charWidth = probe.getBoundingClientRect().width / 100 || 7.8;
    probe.remove();

    let pending = false;
    this.scroller.addEventListener("scroll", () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        this.render();
      });
    });
    this.scroller.addEventListener("click", (event) => this.onClick(event));
    this.scroller.addEventListener("keydown", (event) => this.onKey(event));
    this.resizeObserver = new ResizeObserver(() => {
      if (this.wrap) this.layout();
      this.render();
    });
    this.resizeObserver.observe(this.scroller);
  };

  function button(label, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "button secondary small";
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }

  Viewer.prototype.setModel = function (mode) {
    if (mode === "raw" && !this.models.raw) this.models.raw = textModel(this.text);
    this.mode = mode;
    this.model = this.models[mode];
    this.selected = -1;
    this.selection.hidden = true;
    this.lengths = null;
    this.visible();
    this.layout();
    this.scroller.scrollTop = 0;
    this.render();
    if (this.query) this.search(this.query);
  };

  // Line indices shown, skipping the inside of folded nodes.
  Viewer.prototype.visible = function () {
    const model = this.model;
    const out = new Int32Array(model.count);
    let n = 0;
    for (let i = 0; i < model.count; ) {
      out[n++] = i;
      const line = model.tree ? model.lines[i] : null;
      i = line && line.open && line.folded ? line.close + 1 : i + 1;
    }
    this.shown = out.subarray(0, n);
  };

  // Rows per shown line: one, or as many as its text needs at the width in columns.
  Viewer.prototype.layout = function () {
    const shown = this.shown;
    const cols = this.cols();
    const starts = new Int32Array(shown.length + 1);
    let rows = 0;
    let widest = 0;
    for (let s = 0; s < shown.length; s++) {
      starts[s] = rows;
      const length = this.lengthOf(shown[s]);
      rows += Math.max(1, Math.ceil(length / cols));
      if (length > widest) widest = length;
    }
    starts[shown.length] = rows;
    this.starts = starts;
    this.rows = rows;
    this.sizer.style.height = `${rows * ROW}px`;
    // As tall as the body needs, up to the stylesheet's max-height.
    this.scroller.style.height = `${Math.max(rows * ROW + 16, 192)}px`;
    this.sizer.style.width = this.wrap ? "100%" : `${Math.min(widest, cols) * this.charWidth + 24}px`;
  };

  // The length of line i's text, without building it (layout needs every line's).
  Viewer.prototype.lengthOf = function (i) {
    const model = this.model;
    if (!model.tree) return model.lines[i].length;
    const line = model.lines[i];
    let n = 2 + 2 * line.d + (line.c ? 1 : 0);
    if (line.closeOf !== undefined) return n + 1;
    if (line.k !== undefined) n += JSON.stringify(line.k).length + 2;
    if (line.open) return line.folded ? model.text(i).length : n + 1;
    const v = line.v;
    if (typeof v === "string") return n + JSON.stringify(v).length;
    if (v !== null && typeof v === "object") return n + 2;
    return n + String(v).length;
  };

  Viewer.prototype.cols = function () {
    if (!this.wrap) return NOWRAP_COLS;
    const width = this.scroller.clientWidth - 24;
    return Math.max(20, Math.floor(width / this.charWidth));
  };

  // The shown-line index s holding row r (binary search over the row starts).
  Viewer.prototype.lineAtRow = function (r) {
    let lo = 0;
    let hi = this.shown.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  Viewer.prototype.render = function () {
    const height = this.scroller.clientHeight || 400;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW) - 10);
    const last = Math.min(this.rows, first + Math.ceil(height / ROW) + 20);
    const cols = this.cols();
    const fragment = document.createDocumentFragment();
    let s = this.lineAtRow(first);
    for (let r = first; r < last && s < this.shown.length; ) {
      const i = this.shown[s];
      const tokens = this.model.tokens(i);
      const start = (r - this.starts[s]) * cols;
      const row = this.row(i, tokens, start, start + cols, r === this.starts[s]);
      fragment.append(row);
      r += 1;
      if (r >= this.starts[s + 1]) s += 1;
    }
    this.rowsEl.style.transform = `translateY(${first * ROW}px)`;
    this.rowsEl.replaceChildren(fragment);
  };

  Viewer.prototype.row = function (i, tokens, from, to, isFirst) {
    const row = document.createElement("div");
    row.className = "viewer-row";
    row.dataset.line = i;
    if (i === this.selected) row.classList.add("is-selected");
    if (this.matchSet && this.matchSet.has(i)) {
      row.classList.add(this.matches[this.current] === i ? "is-current-match" : "is-match");
    }
    const line = this.model.tree ? this.model.lines[i] : null;
    let at = 0;
    for (const [cls, text] of tokens) {
      const end = at + text.length;
      if (end > from && at < to) {
        const part = text.slice(Math.max(0, from - at), Math.min(text.length, to - at));
        const span = document.createElement("span");
        if (cls) span.className = "t" + cls;
        span.textContent = part;
        // The fold toggle sits in the gutter of a line that opens an object or array.
        if (isFirst && line && line.open && cls === "g") {
          span.classList.add("fold");
          span.dataset.fold = i;
          span.title = line.folded ? "Unfold" : "Fold";
          row.classList.add(line.folded ? "is-folded" : "is-open");
        }
        row.append(span);
      }
      at = end;
    }
    if (!row.firstChild || !isFirst) row.append(document.createTextNode(""));
    return row;
  };

  Viewer.prototype.toggle = function (i, open) {
    const line = this.model.lines[i];
    if (!line || !line.open) return;
    line.folded = open === undefined ? !line.folded : !open;
    const top = this.scroller.scrollTop;
    this.visible();
    this.layout();
    this.scroller.scrollTop = top;
    this.render();
  };

  Viewer.prototype.select = function (i) {
    this.selected = i;
    if (this.model.tree && i >= 0) {
      this.pathEl.textContent = pathOf(this.model.lines, i) || "(the whole body)";
      this.selection.hidden = false;
    }
    this.render();
  };

  Viewer.prototype.onClick = function (event) {
    const fold = event.target.closest("[data-fold]");
    if (fold) {
      this.toggle(Number(fold.dataset.fold));
      return;
    }
    const row = event.target.closest(".viewer-row");
    if (row) this.select(Number(row.dataset.line));
  };

  Viewer.prototype.onKey = function (event) {
    if (!["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Enter"].includes(event.key)) return;
    const shown = Array.prototype.indexOf.call(this.shown, this.selected);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const next = Math.max(0, Math.min(this.shown.length - 1, shown + (event.key === "ArrowDown" ? 1 : -1)));
      this.select(this.shown[next]);
      this.reveal(this.shown[next]);
    } else if (this.model.tree && this.selected >= 0) {
      const open = event.key === "ArrowRight" ? true : event.key === "ArrowLeft" ? false : undefined;
      this.toggle(this.selected, open);
    }
    event.preventDefault();
  };

  // Scroll so that line i (and offset `at` in its text) is in view.
  Viewer.prototype.reveal = function (i, at) {
    const s = Array.prototype.indexOf.call(this.shown, i);
    if (s < 0) return;
    const row = this.starts[s] + Math.floor((at || 0) / this.cols());
    const top = row * ROW;
    const view = this.scroller.clientHeight;
    if (top < this.scroller.scrollTop || top + ROW > this.scroller.scrollTop + view) {
      this.scroller.scrollTop = Math.max(0, top - view / 3);
    }
    this.render();
  };

  Viewer.prototype.setWrap = function (wrap) {
    this.wrap = wrap;
    this.layout();
    this.render();
  };

  Viewer.prototype.search = function (query) {
    this.query = query;
    const needle = query.toLowerCase();
    this.matches = [];
    this.offsets = [];
    if (needle) {
      const model = this.model;
      if (!model.lower) {
        model.lower = new Array(model.count);
      }
      for (let i = 0; i < model.count; i++) {
        const line = model.tree ? model.lines[i] : null;
        if (line && line.closeOf !== undefined) continue;
        let text = model.lower[i];
        if (text === undefined) {
          text = model.lower[i] = (line && line.open ? model.text(i).replace(/[…].*$/, "") : model.text(i)).toLowerCase();
        }
        const at = text.indexOf(needle);
        if (at >= 0) {
          this.matches.push(i);
          this.offsets.push(at);
        }
      }
    }
    this.matchSet = new Set(this.matches);
    this.current = this.matches.length ? 0 : -1;
    if (this.current >= 0) this.goTo(0);
    else this.render();
    return this.matches.length;
  };

  Viewer.prototype.goTo = function (n) {
    if (!this.matches.length) return;
    this.current = (n + this.matches.length) % this.matches.length;
    const i = this.matches[this.current];
    if (this.model.tree) {
      // Unfold what hides the match.
      let changed = false;
      for (let p = this.model.lines[i].p; p !== undefined && p >= 0; p = this.model.lines[p].p) {
        if (this.model.lines[p].folded) {
          this.model.lines[p].folded = false;
          changed = true;
        }
      }
      if (changed) {
        this.visible();
        this.layout();
      }
    }
    this.reveal(i, this.offsets[this.current]);
  };

  // --- Wiring: the result pane's controls ------------------------------------------------

  function matchesText(viewer) {
    if (!viewer.query) return "";
    if (!viewer.matches.length) return "No match";
    return `${viewer.current + 1} of ${viewer.matches.length.toLocaleString("en-US")}`;
  }

  function setUp() {
    const root = document.getElementById("json-viewer");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "loading";
    const raw = document.getElementById("raw-response");
    const pane = root.closest(".response-pane");
    fetch(root.dataset.bodyUrl, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then((text) => {
        performance.mark("viewer:fetched");
        if (!root.isConnected) return;
        const viewer = new Viewer(root, text, root.dataset.contentType || "");
        root.viewer = viewer;
        root.dataset.ready = "yes";
        if (raw) raw.hidden = true;
        document.querySelectorAll("[data-viewer-control]").forEach((el) => (el.hidden = false));
        wireControls(viewer);
      })
      .catch(() => {
        root.dataset.ready = "failed"; // the raw text stays
        if (pane) pane.classList.remove("has-viewer");
      });
  }

  function wireControls(viewer) {
    const counter = document.getElementById("viewer-matches");
    document.querySelectorAll("[data-view]").forEach((b) => {
      b.addEventListener("click", () => {
        viewer.setModel(b.dataset.view);
        document.querySelectorAll("[data-view]").forEach((other) => {
          other.setAttribute("aria-pressed", String(other === b));
        });
        if (counter) counter.textContent = matchesText(viewer);
      });
    });
    const wrap = document.getElementById("viewer-wrap");
    if (wrap) wrap.addEventListener("change", () => viewer.setWrap(wrap.checked));
    const search = document.getElementById("viewer-search");
    if (search) {
      let timer = 0;
      search.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          viewer.search(search.value);
          if (counter) counter.textContent = matchesText(viewer);
        }, 150);
      });
      search.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        if (viewer.query !== search.value) viewer.search(search.value);
        else viewer.goTo(viewer.current + (event.shiftKey ? -1 : 1));
        if (counter) counter.textContent = matchesText(viewer);
      });
    }
  }

  // Page size: keep the first item shown in view (page = where it falls at the new size).
  document.addEventListener("change", (event) => {
    const select = event.target.closest && event.target.closest("[data-page-size]");
    if (!select) return;
    const form = select.form;
    const first = Number(form.dataset.pageFirst || 1);
    form.querySelector("[data-page-input]").value = String(Math.floor(Math.max(first - 1, 0) / Number(select.value)) + 1);
    form.requestSubmit();
  });

  // --- Copy: permalink, snippets, values -------------------------------------------------

  function toast(message) {
    let el = document.getElementById("toast");
    if (!el) {
      el = document.createElement("div");
      el.id = "toast";
      el.className = "toast";
      el.setAttribute("role", "status");
      document.body.append(el);
    }
    el.textContent = message;
    el.classList.add("is-shown");
    clearTimeout(el.timer);
    el.timer = setTimeout(() => el.classList.remove("is-shown"), 2500);
  }

  function copy(text, message) {
    const done = () => toast(message);
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
    }
    fallbackCopy(text, done);
    return Promise.resolve();
  }

  function fallbackCopy(text, done) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (ok) done();
    else toast("Could not copy: your browser refused");
  }

  function exportAs(fmt, label) {
    const form = document.getElementById("composer");
    const bar = document.querySelector("[data-export-url]");
    if (!bar) return;
    const url = bar.dataset.exportUrl.replace("FORMAT", fmt);
    const body = new URLSearchParams(new FormData(form));
    fetch(url, { method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken(form) } })
      .then((response) => response.text().then((text) => ({ ok: response.ok, text })))
      .then(({ ok, text }) => {
        if (!ok) {
          toast(text.trim());
          return;
        }
        copy(fmt === "link" ? text.trim() : text, `Copied ${label}`);
      })
      .catch(() => toast("The console server could not be reached."));
  }

  function csrfToken(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  document.addEventListener("click", (event) => {
    const exporter = event.target.closest && event.target.closest("[data-export]");
    if (exporter) {
      event.preventDefault();
      exportAs(exporter.dataset.export, exporter.dataset.exportLabel || exporter.textContent.trim());
      return;
    }
    const theme = event.target.closest && event.target.closest("#theme-toggle");
    if (theme) {
      const next = THEMES[(THEMES.indexOf(storedTheme()) + 1) % THEMES.length];
      try {
        localStorage.setItem("console.theme", next);
      } catch (e) {
        /* private mode: this page only */
      }
      applyTheme(next);
      return;
    }
    if (event.target.closest && event.target.closest("#shortcuts-button")) showShortcuts();
  });

  // --- Keyboard shortcuts and the "?" overlay -------------------------------------------

  function typing(target) {
    return target && target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  function showShortcuts() {
    const dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open) dialog.showModal();
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      if (event.code === "KeyP" && !event.shiftKey) {
        const path = document.getElementById("id_path");
        if (path) {
          event.preventDefault();
          path.focus();
          path.select();
        }
      } else if (event.code === "KeyC" && event.shiftKey) {
        event.preventDefault();
        exportAs("curl", "as curl");
      } else if (event.code === "KeyO" && !event.shiftKey) {
        const search = document.getElementById("catalog-search");
        if (search) {
          event.preventDefault();
          search.focus();
        }
      }
      return;
    }
    // A link that acts as a button ("Download") answers Space as a button does.
    if (event.key === " " && event.target.matches && event.target.matches("a[role=button]")) {
      event.preventDefault();
      event.target.click();
      return;
    }
    if (typing(event.target) || event.ctrlKey || event.metaKey) return;
    if (event.key === "?") {
      event.preventDefault();
      showShortcuts();
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    applyTheme(storedTheme());
    setUp();
  });
  document.addEventListener("htmx:afterSettle", setUp);
  // What the user types in the composer while a send is on its way survives the swap that
  // brings the result (the swap puts back the composer as it was sent).
  let sentValues = null;
  let typedValues = null;
  function composerValues() {
    const values = {};
    document.querySelectorAll("#composer [data-compose][id]").forEach((el) => (values[el.id] = el.value));
    return values;
  }
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt && event.detail.elt.id === "composer") sentValues = composerValues();
  });
  document.addEventListener("htmx:beforeSwap", () => {
    typedValues = sentValues && composerValues();
  });
  document.addEventListener("htmx:afterSwap", () => {
    if (!typedValues) return;
    for (const [id, value] of Object.entries(typedValues)) {
      const el = document.getElementById(id);
      if (el && value !== sentValues[id] && el.value === sentValues[id]) {
        const focused = document.activeElement === el;
        el.value = value;
        if (focused) el.setSelectionRange(value.length, value.length);
      }
    }
    sentValues = typedValues = null;
  });

  // History: the entry shown is the current one; a send's entry arrives on top of the list
  // (out of band), past the limit the oldest go, as on the server.
  function markCurrent(item) {
    document.querySelectorAll("#history-list .history-item.is-current").forEach((other) => {
      other.classList.remove("is-current");
      other.removeAttribute("aria-current");
    });
    if (!item) return;
    item.classList.add("is-current");
    item.setAttribute("aria-current", "true");
  }
  document.addEventListener("click", (event) => {
    const item = event.target.closest && event.target.closest("#history-list .history-item");
    if (item) markCurrent(item);
  });
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    const list = event.detail.target;
    if (!list || list.id !== "history-list") return;
    const empty = list.querySelector(".history-empty");
    if (empty) empty.remove();
    const items = list.querySelectorAll(":scope > li");
    items.forEach((li, i) => {
      if (i >= Number(list.dataset.maxEntries || 100)) li.remove();
    });
    markCurrent(list.querySelector(".history-item"));
  });

  // After a send, the start of the result comes into view (on a small screen it is below
  // the fold), as far as the Send button stays in view too.
  document.addEventListener("htmx:afterSettle", (event) => {
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    const result = document.getElementById("result");
    const send = document.getElementById("send-button");
    if (!elt || elt.id !== "composer" || !result || !send) return;
    const room = window.innerHeight - 200;
    const below = result.getBoundingClientRect().top - room;
    const by = Math.min(below, send.getBoundingClientRect().top - 10);
    if (below > 0 && by > 0) window.scrollBy(0, by);
  });

  // "Edit and resend" leads to the path of the request it put in the composer.
  document.addEventListener("htmx:afterSettle", (event) => {
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    const next = elt && elt.id === "" && elt.dataset.focusAfter && document.getElementById(elt.dataset.focusAfter);
    if (next && elt.closest && elt.closest("#result")) next.focus();
  });
})();
