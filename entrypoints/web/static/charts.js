// FlowGuard charts: a few hand-written SVG charts, no dependencies, no network.
// Every chart draws into a container element and marks its marks with data-value,
// so a test (or a curious reader) can check what was drawn from which numbers.
(function (global) {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  const PALETTE = ["#e4572e", "#29335c", "#f3a712", "#669bbc", "#a8c686", "#8e5572"];

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  }

  function text(parent, x, y, content, attrs) {
    const node = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    node.textContent = content;
    return node;
  }

  function svg(container, name, width, height) {
    container.innerHTML = "";
    const root = el("svg", {
      viewBox: `0 0 ${width} ${height}`, class: "chart", "data-chart": name, role: "img",
    }, container);
    return root;
  }

  function niceMax(values) {
    const max = Math.max(0, ...values);
    if (max === 0) return 1;
    const step = Math.pow(10, Math.floor(Math.log10(max)));
    return Math.ceil(max / step) * step;
  }

  function compact(value) {
    const abs = Math.abs(value);
    if (abs >= 1e7) return (value / 1e7).toFixed(1) + " Cr";
    if (abs >= 1e5) return (value / 1e5).toFixed(1) + " L";
    if (abs >= 1e3) return (value / 1e3).toFixed(1) + "k";
    return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }

  function yAxis(root, max, left, top, height, width) {
    for (let i = 0; i <= 4; i++) {
      const y = top + height - (height * i) / 4;
      el("line", { x1: left, x2: left + width, y1: y, y2: y, class: "grid" }, root);
      text(root, left - 6, y + 4, compact((max * i) / 4), { class: "tick", "text-anchor": "end" });
    }
  }

  // Vertical bars: {labels, values, color, format}.
  function bars(container, name, spec) {
    const W = 640, H = 260, L = 56, T = 16, B = 34, R = 10;
    const root = svg(container, name, W, H);
    const max = niceMax(spec.values);
    const plotW = W - L - R, plotH = H - T - B;
    yAxis(root, max, L, T, plotH, plotW);
    const slot = plotW / Math.max(1, spec.values.length);
    spec.values.forEach((value, i) => {
      const h = (plotH * value) / max;
      const bar = el("rect", {
        x: L + i * slot + slot * 0.15, y: T + plotH - h, width: slot * 0.7, height: Math.max(h, 0),
        fill: spec.color || PALETTE[0], class: "bar", "data-label": spec.labels[i], "data-value": value,
      }, root);
      el("title", {}, bar).textContent = `${spec.labels[i]}: ${(spec.format || compact)(value)}`;
      const every = Math.ceil(spec.values.length / 12);
      if (i % every === 0) text(root, L + i * slot + slot / 2, H - B + 16, spec.labels[i], { class: "tick", "text-anchor": "middle" });
    });
    return root;
  }

  // Horizontal bars with labels and values: {labels, values, color, format}.
  function hbars(container, name, spec) {
    const row = 26, L = 200, R = 90, W = 640;
    const H = row * spec.values.length + 12;
    const root = svg(container, name, W, H);
    const max = niceMax(spec.values);
    spec.values.forEach((value, i) => {
      const y = 6 + i * row;
      const w = ((W - L - R) * value) / max;
      text(root, L - 8, y + row / 2 + 4, spec.labels[i], { class: "label", "text-anchor": "end" });
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

  // Lines over categories: {labels, series: [{name, values, color}]}.
  function lines(container, name, spec) {
    const W = 640, H = 260, L = 64, T = 16, B = 44, R = 16;
    const root = svg(container, name, W, H);
    const max = niceMax(spec.series.flatMap((s) => s.values));
    const plotW = W - L - R, plotH = H - T - B;
    yAxis(root, max, L, T, plotH, plotW);
    const n = spec.labels.length;
    const x = (i) => (n === 1 ? L + plotW / 2 : L + (plotW * i) / (n - 1));
    const y = (v) => T + plotH - (plotH * v) / max;
    spec.labels.forEach((label, i) => text(root, x(i), H - B + 16, label, { class: "tick", "text-anchor": "middle" }));
    spec.series.forEach((series, s) => {
      const color = series.color || PALETTE[s % PALETTE.length];
      const points = series.values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
      el("polyline", { points: points, fill: "none", stroke: color, "stroke-width": 2.5, class: "line" }, root);
      series.values.forEach((v, i) => {
        const dot = el("circle", { cx: x(i), cy: y(v), r: 4, fill: color, class: "point", "data-label": spec.labels[i], "data-value": v }, root);
        el("title", {}, dot).textContent = `${series.name} ${spec.labels[i]}: ${compact(v)}`;
      });
      text(root, L + 8 + s * 140, H - 8, "\u25A0 " + series.name, { class: "legend", fill: color });
    });
    return root;
  }

  // Item names repeat across restaurants: say which restaurant when a name appears twice.
  function distinctLabels(names, owners) {
    return names.map((name, i) => (names.indexOf(name) !== names.lastIndexOf(name) ? `${name} · ${owners[i]}` : name));
  }

  function empty(container, message) {
    container.innerHTML = "";
    const note = document.createElement("p");
    note.className = "empty";
    note.textContent = message;
    container.appendChild(note);
  }

  global.FlowGuardCharts = { bars, hbars, lines, empty, compact, distinctLabels, PALETTE };
})(window);
