// Draws the demo report from the JSON embedded in the page: no server, no network.
// Data reaches the page only as text (FlowGuardCharts.h / table), never as markup.
(function () {
  "use strict";
  const C = window.FlowGuardCharts;
  const h = C.h;
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const gold = data.gold;
  const $ = (id) => document.getElementById(id);
  const inr = (v) => (v == null ? "–" : "\u20B9" + C.compact(v));

  function sumBy(rows, key, value) {
    const sums = new Map();
    rows.forEach((r) => sums.set(r[key], (sums.get(r[key]) || 0) + (r[value] || 0)));
    return sums;
  }

  function guard(id, rows, draw) {
    if (!rows || rows.length === 0) return C.empty($(id), "No GOLD rows.");
    draw(rows);
  }

  C.replace($("facts"), C.table(["", ""], Object.entries(data.facts)));

  const rec = data.reconciliation;
  const verdict = (r) => h("td", {}, h("span", { className: r.matches ? "ok" : "bad" }, r.matches ? "agree" : "MISMATCH"));
  C.replace($("reconciliation"), rec.length === 0 ? h("p", { className: "empty" }, "Not run.") : C.table(
    ["day", "orders (store / GOLD)", "delivered (store / GOLD)", "GMV (store / GOLD)", ""],
    rec.map((r) => [r.day, ...["orders", "delivered", "gmv"].map((k) => `${r.source[k]} / ${r.gold[k]}`), verdict(r)]),
    { "data-chart": "reconciliation" }));

  const daily = gold.daily_gmv_metrics || [];
  guard("chart-daily-gmv", daily, (rows) => C.lines($("chart-daily-gmv"), "daily-gmv", {
    labels: rows.map((r) => r.METRIC_DATE.slice(5)), prefix: "\u20B9",
    series: [{ name: "GMV", values: rows.map((r) => r.GMV) }, { name: "Net GMV", values: rows.map((r) => r.NET_GMV) }],
  }));

  guard("chart-hourly", gold.hourly_order_patterns, (rows) => {
    const sums = sumBy(rows, "ORDER_HOUR", "TOTAL_ORDERS");
    const hours = [...Array(24).keys()];
    C.bars($("chart-hourly"), "hourly", { labels: hours.map((hour) => String(hour).padStart(2, "0")), values: hours.map((hour) => sums.get(hour) || 0) });
  });

  guard("chart-funnel", gold.user_funnel_metrics, (rows) => {
    const stages = [["Impression", "IMPRESSION_SESSIONS"], ["Click", "CLICK_SESSIONS"], ["Cart", "CART_SESSIONS"], ["Checkout", "CHECKOUT_SESSIONS"], ["Order", "ORDER_SESSIONS"]];
    C.hbars($("chart-funnel"), "funnel", {
      labels: stages.map(([n]) => n), values: stages.map(([, k]) => rows.reduce((s, r) => s + r[k], 0)),
      colors: C.PALETTE, format: (v) => C.plural(v, "session"),
    });
  });

  guard("chart-top-items", (gold.food_item_performance || []).filter((r) => r.REVENUE > 0), (rows) => {
    const items = new Map(rows.map((r) => [r.ITEM_ID, r]));
    const names = new Map(Object.entries(data.restaurants || {}));
    const top = [...sumBy(rows, "ITEM_ID", "REVENUE")].sort((a, b) => b[1] - a[1]).slice(0, 10);
    const owners = top.map(([id]) => names.get(items.get(id).RESTAURANT_ID) || items.get(id).RESTAURANT_ID);
    const labels = C.distinctLabels(top.map(([id]) => items.get(id).ITEM_NAME || id), owners);
    C.hbars($("chart-top-items"), "top-items", { labels: labels, values: top.map(([, v]) => v), color: C.PALETTE[2], format: inr });
  });

  guard("chart-cohorts", gold.user_cohort_metrics, (rows) => {
    const last = rows.reduce((m, r) => (r.METRIC_DATE > m ? r.METRIC_DATE : m), "");
    const today = rows.filter((r) => r.METRIC_DATE === last);
    C.hbars($("chart-cohorts"), "cohorts", {
      labels: today.map((r) => `${r.COHORT_DATE} (${r.SEGMENT})`), values: today.map((r) => r.ACTIVE_USERS),
      colors: today.map((r) => ({ new: C.PALETTE[0], returning: C.PALETTE[3], loyal: C.PALETTE[4] })[r.SEGMENT]),
      format: (v) => C.plural(v, "user"),
    });
  });

  C.replace($("panel-quality"), data.quality.length === 0 ? h("p", { className: "empty" }, "No figures.") :
    C.table(["stage", "what", "count"], data.quality.map((q) => [q.stage, q.label, q.value.toLocaleString("en-IN")]), { "data-chart": "quality" }));

  C.replace($("daily-table"), C.table(
    ["day", "orders", "delivered", "cancelled", "GMV", "net GMV", "AOV", "customers", "invalid orders"],
    daily.map((r) => [r.METRIC_DATE, r.TOTAL_ORDERS, r.DELIVERED_ORDERS, r.CANCELLED_ORDERS, inr(r.GMV), inr(r.NET_GMV), inr(r.AVG_ORDER_VALUE), r.UNIQUE_CUSTOMERS, r.INVALID_ORDERS])));
  document.body.dataset.ready = "true";
})();
