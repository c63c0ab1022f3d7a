// The GOLD dashboard: reads /api/v1/metrics/gold/{table}?date=D and draws each table.
(function () {
  "use strict";
  const C = window.FlowGuardCharts;
  const $ = (id) => document.getElementById(id);
  const inr = (v) => "\u20B9" + C.compact(v);
  const pct = (v) => (v == null ? "–" : (100 * v).toFixed(1) + "%");

  async function gold(table, day) {
    const query = day ? `?date=${day}` : "";
    const response = await fetch(`/api/v1/metrics/gold/${table}${query}`);
    if (!response.ok) throw new Error((await response.json()).detail || response.statusText);
    return (await response.json()).rows;
  }

  function kpis(row) {
    const tiles = [
      ["Orders", row.TOTAL_ORDERS], ["Delivered", row.DELIVERED_ORDERS], ["GMV", inr(row.GMV)],
      ["Net GMV", inr(row.NET_GMV)], ["Avg order", inr(row.AVG_ORDER_VALUE || 0)],
      ["Customers", row.UNIQUE_CUSTOMERS], ["Cancelled", pct(row.CANCELLATION_RATE)],
    ];
    $("kpis").innerHTML = tiles.map(([n, v]) => `<div class="kpi"><div class="name">${n}</div><div class="value">${v}</div></div>`).join("");
  }

  function dailyGmv(rows) {
    C.lines($("chart-daily-gmv"), "daily-gmv", {
      labels: rows.map((r) => r.METRIC_DATE.slice(5)),
      series: [
        { name: "GMV", values: rows.map((r) => r.GMV) },
        { name: "Net GMV", values: rows.map((r) => r.NET_GMV) },
      ],
    });
  }

  function hourly(rows) {
    const byHour = new Array(24).fill(0);
    rows.forEach((r) => { byHour[r.ORDER_HOUR] = r.TOTAL_ORDERS; });
    C.bars($("chart-hourly"), "hourly", { labels: byHour.map((_, h) => String(h).padStart(2, "0")), values: byHour });
  }

  function funnel(row) {
    const stages = [["Impression", "IMPRESSION_SESSIONS"], ["Click", "CLICK_SESSIONS"], ["Cart", "CART_SESSIONS"], ["Checkout", "CHECKOUT_SESSIONS"], ["Order", "ORDER_SESSIONS"]];
    C.hbars($("chart-funnel"), "funnel", {
      labels: stages.map(([name]) => name), values: stages.map(([, key]) => row[key]),
      colors: C.PALETTE, format: (v) => `${v} sessions`,
    });
  }

  function topItems(rows) {
    const top = rows.slice().sort((a, b) => b.REVENUE - a.REVENUE).slice(0, 10);
    C.hbars($("chart-top-items"), "top-items", {
      labels: C.distinctLabels(top.map((r) => r.ITEM_NAME || r.ITEM_ID), top.map((r) => r.RESTAURANT_ID)),
      values: top.map((r) => r.REVENUE),
      color: C.PALETTE[2], format: inr,
    });
  }

  function cohorts(rows) {
    C.hbars($("chart-cohorts"), "cohorts", {
      labels: rows.map((r) => `${r.COHORT_DATE} (${r.SEGMENT})`), values: rows.map((r) => r.ACTIVE_USERS),
      colors: rows.map((r) => ({ new: C.PALETTE[0], returning: C.PALETTE[3], loyal: C.PALETTE[4] })[r.SEGMENT]),
      format: (v) => `${v} users`,
    });
  }

  function quality(gmv, funnelRow) {
    const rows = [
      ["Invalid orders (SILVER, not counted)", gmv ? gmv.INVALID_ORDERS : "–"],
      ["Invalid click events (SILVER, not counted)", funnelRow ? funnelRow.INVALID_CLICKS : "–"],
      ["Cancellation rate", gmv ? pct(gmv.CANCELLATION_RATE) : "–"],
    ];
    $("panel-quality").innerHTML = "<table data-chart='quality'>" + rows.map(([n, v]) => `<tr><td>${n}</td><td data-value="${v}">${v}</td></tr>`).join("") + "</table>";
  }

  function guard(id, rows, draw) {
    if (!rows || rows.length === 0) return C.empty($(id), "No GOLD rows for this day yet.");
    draw(rows);
  }

  async function show(day) {
    document.body.dataset.ready = "false";
    const [daily, hours, funnels, items, cohortRows] = await Promise.all([
      gold("daily_gmv_metrics"), gold("hourly_order_patterns", day), gold("user_funnel_metrics", day),
      gold("food_item_performance", day), gold("user_cohort_metrics", day),
    ]);
    const today = daily.find((r) => r.METRIC_DATE === day);
    if (today) kpis(today);
    guard("chart-daily-gmv", daily, dailyGmv);
    guard("chart-hourly", hours, hourly);
    guard("chart-funnel", funnels, (rows) => funnel(rows[0]));
    guard("chart-top-items", items, topItems);
    guard("chart-cohorts", cohortRows, cohorts);
    quality(today, funnels[0]);
    document.body.dataset.ready = "true";
  }

  async function start() {
    try {
      const days = (await (await fetch("/api/v1/metrics/days")).json()).days || [];
      if (days.length === 0) throw new Error("GOLD has no days yet: run `flowguard demo` or `flowguard batch run`.");
      const select = $("day");
      select.innerHTML = days.map((d) => `<option>${d}</option>`).join("");
      const wanted = new URLSearchParams(location.search).get("date");
      select.value = days.includes(wanted) ? wanted : days[days.length - 1];
      select.addEventListener("change", () => show(select.value));
      await show(select.value);
    } catch (error) {
      $("notice").hidden = false;
      $("notice").textContent = String(error.message || error);
      document.body.dataset.ready = "error";
    }
  }

  start();
})();
