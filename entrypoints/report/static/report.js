// Draws the demo report from the JSON embedded in the page: no server, no network.
(function () {
  "use strict";
  const C = window.FlowGuardCharts;
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const gold = data.gold;
  const $ = (id) => document.getElementById(id);
  const inr = (v) => "\u20B9" + C.compact(v);
  const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

  function table(columns, rows, attrs) {
    const head = "<tr>" + columns.map((c) => `<th>${escape(c)}</th>`).join("") + "</tr>";
    const body = rows.map((r) => "<tr>" + r.map((v) => `<td>${v}</td>`).join("") + "</tr>").join("");
    return `<table ${attrs || ""}>${head}${body}</table>`;
  }

  function sumBy(rows, key, value) {
    const sums = new Map();
    rows.forEach((r) => sums.set(r[key], (sums.get(r[key]) || 0) + (r[value] || 0)));
    return sums;
  }

  function guard(id, rows, draw) {
    if (!rows || rows.length === 0) return C.empty($(id), "No GOLD rows.");
    draw(rows);
  }

  $("facts").innerHTML = table(["", ""], Object.entries(data.facts).map(([k, v]) => [escape(k), escape(v)]));

  const rec = data.reconciliation;
  $("reconciliation").innerHTML = rec.length === 0 ? "<p class='empty'>Not run.</p>" : table(
    ["day", "orders (store / GOLD)", "delivered (store / GOLD)", "GMV (store / GOLD)", ""],
    rec.map((r) => [r.day, ...["orders", "delivered", "gmv"].map((k) => `${r.source[k]} / ${r.gold[k]}`),
      r.matches ? "<span class='ok'>agree</span>" : "<span class='bad'>MISMATCH</span>"]),
    "data-chart='reconciliation'");

  const daily = gold.daily_gmv_metrics || [];
  guard("chart-daily-gmv", daily, (rows) => C.lines($("chart-daily-gmv"), "daily-gmv", {
    labels: rows.map((r) => r.METRIC_DATE.slice(5)),
    series: [{ name: "GMV", values: rows.map((r) => r.GMV) }, { name: "Net GMV", values: rows.map((r) => r.NET_GMV) }],
  }));

  guard("chart-hourly", gold.hourly_order_patterns, (rows) => {
    const sums = sumBy(rows, "ORDER_HOUR", "TOTAL_ORDERS");
    const hours = [...Array(24).keys()];
    C.bars($("chart-hourly"), "hourly", { labels: hours.map((h) => String(h).padStart(2, "0")), values: hours.map((h) => sums.get(h) || 0) });
  });

  guard("chart-funnel", gold.user_funnel_metrics, (rows) => {
    const stages = [["Impression", "IMPRESSION_SESSIONS"], ["Click", "CLICK_SESSIONS"], ["Cart", "CART_SESSIONS"], ["Checkout", "CHECKOUT_SESSIONS"], ["Order", "ORDER_SESSIONS"]];
    C.hbars($("chart-funnel"), "funnel", {
      labels: stages.map(([n]) => n), values: stages.map(([, k]) => rows.reduce((s, r) => s + r[k], 0)),
      colors: C.PALETTE, format: (v) => `${v} sessions`,
    });
  });

  guard("chart-top-items", gold.food_item_performance, (rows) => {
    const items = new Map(rows.map((r) => [r.ITEM_ID, r]));
    const top = [...sumBy(rows, "ITEM_ID", "REVENUE")].sort((a, b) => b[1] - a[1]).slice(0, 10);
    const labels = C.distinctLabels(top.map(([id]) => items.get(id).ITEM_NAME || id), top.map(([id]) => items.get(id).RESTAURANT_ID));
    C.hbars($("chart-top-items"), "top-items", { labels: labels, values: top.map(([, v]) => v), color: C.PALETTE[2], format: inr });
  });

  guard("chart-cohorts", gold.user_cohort_metrics, (rows) => {
    const last = rows.reduce((m, r) => (r.METRIC_DATE > m ? r.METRIC_DATE : m), "");
    const today = rows.filter((r) => r.METRIC_DATE === last);
    C.hbars($("chart-cohorts"), "cohorts", {
      labels: today.map((r) => `${r.COHORT_DATE} (${r.SEGMENT})`), values: today.map((r) => r.ACTIVE_USERS),
      colors: today.map((r) => ({ new: C.PALETTE[0], returning: C.PALETTE[3], loyal: C.PALETTE[4] })[r.SEGMENT]),
      format: (v) => `${v} users`,
    });
  });

  $("panel-quality").innerHTML = data.quality.length === 0 ? "<p class='empty'>No figures.</p>" :
    table(["stage", "what", "count"], data.quality.map((q) => [escape(q.stage), escape(q.label), q.value]), "data-chart='quality'");

  $("daily-table").innerHTML = table(
    ["day", "orders", "delivered", "cancelled", "GMV", "net GMV", "AOV", "customers", "invalid orders"],
    daily.map((r) => [r.METRIC_DATE, r.TOTAL_ORDERS, r.DELIVERED_ORDERS, r.CANCELLED_ORDERS, inr(r.GMV), inr(r.NET_GMV), inr(r.AVG_ORDER_VALUE || 0), r.UNIQUE_CUSTOMERS, r.INVALID_ORDERS]));
  document.body.dataset.ready = "true";
})();
