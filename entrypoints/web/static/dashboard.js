// The dashboard: GOLD per built day (/api/v1/metrics/gold/{table}?date=D), and the days the batch
// has not built yet counted live from BRONZE (/api/v1/metrics/live), refreshed as events arrive.
(function () {
  "use strict";
  const C = window.FlowGuardCharts;
  const h = C.h;
  const $ = (id) => document.getElementById(id);
  const inr = (v) => (v == null ? "–" : "\u20B9" + C.compact(v));
  const pct = (v) => (v == null ? "–" : (100 * v).toFixed(1) + "%");
  const LIVE_REFRESH_MS = 5000;
  let meta = { days: [], partial: [], live: [] };
  let timer = null;

  async function json(url, options) {
    const response = await fetch(url, options);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(body.detail || response.statusText), { status: response.status });
    return body;
  }

  const gold = async (table, day) => (await json(`/api/v1/metrics/gold/${table}${day ? "?date=" + encodeURIComponent(day) : ""}`)).rows;
  const live = (day) => json(`/api/v1/metrics/live?date=${encodeURIComponent(day)}`);
  const isLive = (day) => meta.live.includes(day) && !meta.days.includes(day);

  function kpis(row) {
    const tiles = [
      ["Orders", row.TOTAL_ORDERS], ["Delivered", row.DELIVERED_ORDERS], ["GMV", inr(row.GMV)],
      ["Net GMV", inr(row.NET_GMV)], ["Avg order", inr(row.AVG_ORDER_VALUE)],
      ["Customers", row.UNIQUE_CUSTOMERS], ["Cancelled", pct(row.CANCELLATION_RATE)],
    ];
    C.replace($("kpis"), tiles.map(([name, value]) => h("div", { className: "kpi" }, h("div", { className: "name" }, name), h("div", { className: "value" }, value ?? "–"))));
  }

  // Built days from GOLD, then the live days not built yet, each marked on the chart.
  function dailyGmv(rows, liveRows) {
    const all = rows.concat(liveRows);
    const partial = {};
    all.forEach((r, i) => {
      if (i >= rows.length) partial[i] = "live";
      else if (meta.partial.includes(r.METRIC_DATE)) partial[i] = "partial";
    });
    if (all.length === 0) return C.empty($("chart-daily-gmv"), "No days yet.");
    C.lines($("chart-daily-gmv"), "daily-gmv", {
      labels: all.map((r) => r.METRIC_DATE.slice(5)), partial: partial, prefix: "\u20B9",
      series: [{ name: "GMV", values: all.map((r) => r.GMV) }, { name: "Net GMV", values: all.map((r) => r.NET_GMV) }],
    });
  }

  function hourly(rows) {
    const byHour = new Array(24).fill(0);
    rows.forEach((r) => { byHour[r.ORDER_HOUR] = r.TOTAL_ORDERS; });
    C.bars($("chart-hourly"), "hourly", { labels: byHour.map((_, hour) => String(hour).padStart(2, "0")), values: byHour });
  }

  function funnel(row) {
    const stages = [["Impression", "IMPRESSION_SESSIONS"], ["Click", "CLICK_SESSIONS"], ["Cart", "CART_SESSIONS"], ["Checkout", "CHECKOUT_SESSIONS"], ["Order", "ORDER_SESSIONS"]];
    C.hbars($("chart-funnel"), "funnel", {
      labels: stages.map(([name]) => name), values: stages.map(([, key]) => row[key] || 0),
      colors: C.PALETTE, format: (v) => C.plural(v, "session"),
    });
  }

  function topItems(rows, restaurants) {
    const top = rows.filter((r) => r.REVENUE > 0).sort((a, b) => b.REVENUE - a.REVENUE).slice(0, 10);
    if (top.length === 0) return C.empty($("chart-top-items"), "No item was ordered on this day.");
    const owners = top.map((r) => restaurants.get(r.RESTAURANT_ID) || r.RESTAURANT_ID);
    C.hbars($("chart-top-items"), "top-items", {
      labels: C.distinctLabels(top.map((r) => r.ITEM_NAME || r.ITEM_ID), owners),
      values: top.map((r) => r.REVENUE), color: C.PALETTE[2], format: inr,
    });
  }

  function cohorts(rows) {
    C.hbars($("chart-cohorts"), "cohorts", {
      labels: rows.map((r) => `${r.COHORT_DATE} (${r.SEGMENT})`), values: rows.map((r) => r.ACTIVE_USERS),
      colors: rows.map((r) => ({ new: C.PALETTE[0], returning: C.PALETTE[3], loyal: C.PALETTE[4] })[r.SEGMENT]),
      format: (v) => C.plural(v, "user"),
    });
  }

  function quality(gmv, funnelRow) {
    const rows = [
      ["Invalid orders (SILVER, not counted)", gmv ? gmv.INVALID_ORDERS : "–"],
      ["Invalid click events (SILVER, not counted)", funnelRow ? funnelRow.INVALID_CLICKS : "–"],
      ["Cancellation rate", gmv ? pct(gmv.CANCELLATION_RATE) : "–"],
    ];
    C.replace($("panel-quality"), C.table([], rows.map(([name, value]) => [name, h("td", { dataset: { value: String(value) } }, value)]), { "data-chart": "quality" }));
  }

  async function failedEvents() {
    try {
      const body = await json("/api/v1/failed-events?limit=8");
      if (body.items.length === 0) return C.empty($("panel-failed"), "None: every event sent so far was accepted.");
      const reasons = (item) => item.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
      const rows = body.items.map((item) => [item.received_at.slice(0, 19).replace("T", " "), item.kind, reasons(item)]);
      C.replace($("panel-failed"), h("p", { className: "hint" }, `${C.plural(body.total, "failed event")} in all`),
        C.table(["received (UTC)", "kind", "why"], rows, { "data-chart": "failed-events" }));
    } catch (error) {
      C.empty($("panel-failed"), `Failed events unavailable: ${error.message}`);
    }
  }

  function mark(day) {
    const kind = isLive(day) ? "live" : meta.partial.includes(day) ? "partial" : "";
    $("day-kind").hidden = !kind;
    $("day-kind").textContent = kind === "live" ? "live, not yet built" : kind === "partial" ? "partial day: built before it was over" : "";
    document.body.dataset.dayKind = kind || "built";
  }

  async function show(day) {
    document.body.dataset.ready = "false";
    clearTimeout(timer);
    mark(day);
    const liveDays = meta.live.filter((d) => !meta.days.includes(d));
    const [daily, liveRows, restaurants] = await Promise.all([
      gold("daily_gmv_metrics"), Promise.all(liveDays.map(live)), catalog(),
    ]);
    // A live day with no events yet is left off the chart (it would read as a day of zero).
    dailyGmv(daily, liveRows.filter((l) => l.as_of && l.daily_gmv_metrics).map((l) => l.daily_gmv_metrics));
    if (isLive(day)) showLive(liveRows[liveDays.indexOf(day)]);
    else await showBuilt(day, daily, restaurants);
    await failedEvents();
    document.body.dataset.ready = "true";
    if (isLive(day)) timer = setTimeout(() => show(day), LIVE_REFRESH_MS);
  }

  function showLive(figures) {
    if (!figures.daily_gmv_metrics) {
      C.replace($("kpis"));
      ["chart-hourly", "chart-funnel"].forEach((id) => C.empty($(id), "No events for this day yet."));
    } else {
      kpis(figures.daily_gmv_metrics);
      hourly(figures.hourly_order_patterns);
      funnel(figures.user_funnel_metrics);
    }
    const asOf = figures.as_of ? ` · counted from BRONZE up to ${figures.as_of.slice(11, 19)} UTC` : "";
    $("notice").hidden = false;
    $("notice").textContent = `Live, not yet built${asOf}: SILVER's checks have not run, so the built GOLD may differ a little. Refreshes every ${LIVE_REFRESH_MS / 1000} s.`;
    ["chart-top-items", "chart-cohorts"].forEach((id) => C.empty($(id), "Built by the batch: not counted live."));
    quality(null, null);
  }

  async function showBuilt(day, daily, restaurants) {
    $("notice").hidden = true;
    const [hours, funnels, items, cohortRows] = await Promise.all([
      gold("hourly_order_patterns", day), gold("user_funnel_metrics", day),
      gold("food_item_performance", day), gold("user_cohort_metrics", day),
    ]);
    const today = daily.find((r) => r.METRIC_DATE === day);
    if (today) kpis(today);
    guard("chart-hourly", hours, hourly);
    guard("chart-funnel", funnels, (rows) => funnel(rows[0]));
    guard("chart-top-items", items, (rows) => topItems(rows, restaurants));
    guard("chart-cohorts", cohortRows, cohorts);
    quality(today, funnels[0]);
  }

  function guard(id, rows, draw) {
    if (!rows || rows.length === 0) return C.empty($(id), "No GOLD rows for this day yet.");
    draw(rows);
  }

  let restaurantNames = null;
  async function catalog() {
    if (!restaurantNames) {
      const body = await json("/api/v1/catalog/restaurants").catch(() => ({ restaurants: [] }));
      restaurantNames = new Map(body.restaurants.map((r) => [r.restaurant_id, r.name]));
    }
    return restaurantNames;
  }

  // "Build this day now": only where the server builds (flowguard up), hidden elsewhere.
  async function buildNow() {
    const day = $("day").value;
    $("build-now").disabled = true;
    try {
      let build = await json("/api/v1/batch/builds", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ days: [day] }) });
      while (!["succeeded", "failed"].includes(build.state)) {
        $("build-state").textContent = `building ${day}: ${build.completed}/${build.total || "?"} tasks`;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        build = await json(`/api/v1/batch/builds/${encodeURIComponent(build.id)}`);
      }
      $("build-state").textContent = build.state === "succeeded" ? `${day} built` : `build failed: ${build.failed_tasks.join(", ") || build.error}`;
      await start(day);
    } catch (error) {
      $("build-state").textContent = `cannot build: ${error.message}`;
    } finally {
      $("build-now").disabled = false;
    }
  }

  async function offerBuild() {
    try {
      await json("/api/v1/batch/builds");
      $("build-now").hidden = false;
    } catch (error) {
      $("build-now").hidden = true;
    }
  }

  function option(day) {
    const label = isLive(day) ? `${day} (live, not yet built)` : meta.partial.includes(day) ? `${day} (partial)` : day;
    return h("option", { value: day }, label);
  }

  async function start(wanted) {
    try {
      meta = await json("/api/v1/metrics/days");
      const days = meta.days.concat(meta.live.filter((d) => !meta.days.includes(d)));
      const select = $("day");
      C.replace(select, days.map(option));
      const asked = wanted || new URLSearchParams(location.search).get("date");
      const newestBuilt = meta.days[meta.days.length - 1];
      select.value = days.includes(asked) ? asked : newestBuilt || days[days.length - 1];
      await show(select.value);
    } catch (error) {
      $("notice").hidden = false;
      $("notice").textContent = String(error.message || error);
      document.body.dataset.ready = "error";
    }
  }

  $("day").addEventListener("change", () => show($("day").value));
  $("build-now").addEventListener("click", buildNow);
  offerBuild();
  start();
})();
