// FlowGuard charts: a few hand-written SVG charts, no dependencies, no network.
// Every chart draws into a container element and marks its marks with data-value,
// so a test (or a curious reader) can check what was drawn from which numbers.
// Data only ever reaches the page as text (textContent, attributes): never as markup.
(function (global) {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  const PALETTE = ["#e4572e", "#29335c", "#f3a712", "#669bbc", "#a8c686", "#8e5572"];
  const UNITS = [[1e7, " Cr"], [1e5, " L"], [1e3, "k"], [1, ""]];

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  }

  // An HTML element with attributes and children (strings become text nodes, never markup).
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value);
    }
    children.flat().forEach((child) => {
      if (child === null || child === undefined) return;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  function replace(container, ...children) {
    container.replaceChildren(...children.flat());
    return container;
  }

  function text(parent, x, y, content, attrs) {
    const node = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    node.textContent = content;
    return node;
  }

  function svg(container, name, width, height, unit) {
    const root = el("svg", {
      viewBox: `0 0 ${width} ${height}`, class: "chart", "data-chart": name, role: "img", "data-unit": unit || "",
    });
    replace(container, root);
    return root;
  }

  // A scale from 0 with `ticks` steps of 1, 2 or 5 times a power of ten; whole steps for counts.
  function scale(values, ticks, integer) {
    const max = Math.max(0, ...values);
    const raw = max / ticks || 1;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
    if (integer) step = Math.max(1, Math.ceil(step));
    return { step: step, max: step * Math.max(1, Math.ceil(max / step)) };
  }

  // One unit for a whole axis, chosen by its largest tick: "0, 50k, 100k", never "50.0k, 1.0 L".
  function unitFor(max) {
    return UNITS.find(([size]) => Math.abs(max) >= size) || UNITS[UNITS.length - 1];
  }

  function formatIn(unit, value, integer) {
    const [size, suffix] = unit;
    if (value === 0) return "0";
    const scaled = value / size;
    const digits = integer && size === 1 ? 0 : Number.isInteger(Math.round(scaled * 10) / 10) ? 0 : 1;
    return scaled.toLocaleString("en-IN", { maximumFractionDigits: digits, minimumFractionDigits: digits }) + suffix;
  }

  // A value on its own (labels, tooltips), in the unit that suits it.
  function compact(value) {
    return formatIn(unitFor(value), value, Number.isInteger(value));
  }

  function yAxis(root, s, box, integer, prefix) {
    const unit = unitFor(s.max);
    for (let v = 0; v <= s.max + s.step / 2; v += s.step) {
      const y = box.top + box.height - (box.height * v) / s.max;
      el("line", { x1: box.left, x2: box.left + box.width, y1: y, y2: y, class: "grid" }, root);
      text(root, box.left - 6, y + 4, (prefix || "") + formatIn(unit, v, integer), {
        class: "tick y", "text-anchor": "end", "data-value": v,
      });
    }
    root.setAttribute("data-unit", (prefix || "") + unit[1].trim());
  }

  function legend(root, x, y, name, color) {
    const item = el("g", { class: "legend-item", "data-series": name }, root);
    el("rect", { x: x, y: y - 9, width: 10, height: 10, rx: 2, fill: color, class: "swatch" }, item);
    text(item, x + 14, y, name, { class: "legend" });
  }

  // Vertical bars of counts: {labels, values, color}.
  function bars(container, name, spec) {
    const W = 640, H = 260, L = 56, T = 16, B = 34, R = 10;
    const root = svg(container, name, W, H);
    const s = scale(spec.values, 4, true);
    const box = { left: L, top: T, width: W - L - R, height: H - T - B };
    yAxis(root, s, box, true);
    const slot = box.width / Math.max(1, spec.values.length);
    const every = Math.ceil(spec.values.length / 12);
    spec.values.forEach((value, i) => {
      const h = (box.height * value) / s.max;
      const bar = el("rect", {
        x: L + i * slot + slot * 0.15, y: T + box.height - h, width: slot * 0.7, height: Math.max(h, 0),
        fill: spec.color || PALETTE[0], class: "bar", "data-label": spec.labels[i], "data-value": value,
      }, root);
      el("title", {}, bar).textContent = `${spec.labels[i]}: ${value}`;
      if (i % every === 0) text(root, L + i * slot + slot / 2, H - B + 16, spec.labels[i], { class: "tick x", "text-anchor": "middle" });
    });
    return root;
  }

  // Horizontal bars with labels and values: {labels, values, color(s), format}.
  function hbars(container, name, spec) {
    const row = 26, L = 220, R = 110, W = 640;
    const H = row * spec.values.length + 12;
    const root = svg(container, name, W, H);
    const max = Math.max(1, ...spec.values);
    spec.values.forEach((value, i) => {
      const y = 6 + i * row;
      const w = ((W - L - R) * value) / max;
      const label = spec.labels[i].length > 30 ? spec.labels[i].slice(0, 29) + "…" : spec.labels[i];
      text(root, L - 8, y + row / 2 + 4, label, { class: "label", "text-anchor": "end" });
      const bar = el("rect", {
        x: L, y: y + 3, width: Math.max(w, 1), height: row - 8, rx: 3,
        fill: (spec.colors && spec.colors[i]) || spec.color || PALETTE[1], class: "bar",
        "data-label": spec.labels[i], "data-value": value,
      }, root);
      el("title", {}, bar).textContent = `${spec.labels[i]}: ${value}`;
      text(root, L + w + 6, y + row / 2 + 4, (spec.format || compact)(value), { class: "value" });
    });
    return root;
  }

  // Lines over days: {labels, series: [{name, values, color}], partial: {index: "partial" | "live"},
  // prefix}. A partial day's point is hollow, reached by a dashed segment, and labelled.
  function lines(container, name, spec) {
    const W = 640, H = 270, L = 64, T = 24, B = 48, R = 16;
    const root = svg(container, name, W, H);
    const s = scale(spec.series.flatMap((series) => series.values), 4, false);
    const box = { left: L, top: T, width: W - L - R, height: H - T - B };
    yAxis(root, s, box, false, spec.prefix);
    const partial = spec.partial || {};
    const n = spec.labels.length;
    const x = (i) => (n === 1 ? L + box.width / 2 : L + (box.width * i) / (n - 1));
    const y = (v) => T + box.height - (box.height * v) / s.max;
    spec.labels.forEach((label, i) => text(root, x(i), H - B + 16, label, { class: "tick x", "text-anchor": "middle" }));
    spec.series.forEach((series, k) => {
      const color = series.color || PALETTE[k % PALETTE.length];
      const whole = series.values.map((v, i) => [i, v]).filter(([i]) => !partial[i]);
      el("polyline", { points: whole.map(([i, v]) => `${x(i)},${y(v)}`).join(" "), fill: "none", stroke: color, "stroke-width": 2.5, class: "line" }, root);
      series.values.forEach((v, i) => {
        if (partial[i] && i > 0) {
          el("line", { x1: x(i - 1), y1: y(series.values[i - 1]), x2: x(i), y2: y(v), stroke: color, "stroke-width": 2, "stroke-dasharray": "5 4", class: "line partial" }, root);
        }
        const attrs = { cx: x(i), cy: y(v), r: 4, fill: partial[i] ? "#fff" : color, stroke: color, "stroke-width": 2, class: "point", "data-label": spec.labels[i], "data-value": v };
        if (partial[i]) attrs["data-partial"] = partial[i];
        const dot = el("circle", attrs, root);
        el("title", {}, dot).textContent = `${series.name} ${spec.labels[i]}: ${(spec.prefix || "") + compact(v)}${partial[i] ? " (" + partial[i] + ")" : ""}`;
      });
      legend(root, L + 8 + k * 140, H - 8, series.name, color);
    });
    Object.entries(partial).forEach(([i, kind]) => {
      text(root, x(Number(i)), T - 8, kind === "live" ? "live, not yet built" : "partial day", {
        class: "partial-mark", "text-anchor": Number(i) === n - 1 && n > 1 ? "end" : "middle", "data-partial": kind,
      });
    });
    return root;
  }

  // Item names repeat across restaurants: say which restaurant when a name appears twice.
  function distinctLabels(names, owners) {
    return names.map((name, i) => (names.indexOf(name) !== names.lastIndexOf(name) ? `${name} · ${owners[i]}` : name));
  }

  function plural(n, one, many) {
    return `${n.toLocaleString("en-IN")} ${n === 1 ? one : many || one + "s"}`;
  }

  function empty(container, message) {
    replace(container, h("p", { className: "empty" }, message));
  }

  // A table from column titles and rows of cells (text, or a node for a styled cell).
  function table(columns, rows, attrs) {
    return h("table", attrs || {},
      h("tr", {}, columns.map((c) => h("th", {}, c))),
      rows.map((cells) => h("tr", {}, cells.map((cell) => (cell instanceof Node && cell.tagName === "TD" ? cell : h("td", {}, cell))))));
  }

  global.FlowGuardCharts = { bars, hbars, lines, empty, compact, distinctLabels, plural, h, replace, table, PALETTE };
})(window);
