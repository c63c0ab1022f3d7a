// The storefront: browse the catalog, and send the same click events the API takes from apps.
(function () {
  "use strict";
  const API = "/api/v1";
  const $ = (id) => document.getElementById(id);
  const h = window.FlowGuardCharts.h; // builds elements; data is only ever text, never markup
  const NEXT = { placed: "confirmed", confirmed: "out_for_delivery", out_for_delivery: "delivered" };

  function uuid() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  const userId = localStorage.getItem("fg-user") || "web-" + uuid().slice(0, 8);
  localStorage.setItem("fg-user", userId);
  const sessionId = "web-" + uuid();
  const cart = new Map(); // item_id -> {item, quantity}
  const queue = [];
  let order = null;
  let items = [];
  $("who").textContent = `user ${userId}`;

  // --- click events: queued, then sent in batches with device times ---------------------
  function emit(type, restaurantId, page, extra) {
    queue.push(Object.assign({
      event_id: uuid(), session_id: sessionId, user_id: userId, event_type: type,
      restaurant_id: restaurantId, page: page, occurred_at: new Date().toISOString(),
    }, extra || {}));
    document.body.dataset.pending = queue.length;
  }

  async function flush() {
    if (queue.length === 0) return;
    const events = queue.splice(0, 500).map((e) => Object.assign({ sent_at: new Date().toISOString() }, e));
    try {
      const response = await post("/clicks/batch", { events: events });
      log(`${events.length} events → ${response.status} accepted ${response.body.accepted}`);
    } catch (error) {
      queue.unshift(...events.map(({ sent_at, ...e }) => e)); // retried later with the same ids
      log(`events not sent (${error}); will retry`);
    }
    document.body.dataset.pending = queue.length;
  }
  setInterval(flush, 700);

  async function post(path, body, headers) {
    const response = await fetch(API + path, {
      method: "POST", body: JSON.stringify(body),
      headers: Object.assign({ "Content-Type": "application/json" }, headers || {}),
    });
    return { status: response.status, body: await response.json() };
  }

  function log(line) {
    const entry = document.createElement("li");
    entry.textContent = line;
    $("event-log").prepend(entry);
  }

  // --- browsing ----------------------------------------------------------------------------
  async function loadRestaurants() {
    const city = $("city").value;
    const data = await (await fetch(`${API}/catalog/restaurants${city ? "?city=" + encodeURIComponent(city) : ""}`)).json();
    $("restaurants").replaceChildren();
    data.restaurants.forEach((r) => {
      const card = h("div", { className: "restaurant", dataset: { restaurantId: r.restaurant_id } },
        h("strong", {}, r.name), h("br"), h("span", { className: "hint" }, `${r.city} · ${r.cuisines.join(", ")} · ★ ${r.rating}`));
      card.addEventListener("click", () => openMenu(r, card));
      $("restaurants").appendChild(card);
    });
    return data.restaurants;
  }

  async function openMenu(restaurant, card) {
    document.querySelectorAll(".restaurant.selected").forEach((c) => c.classList.remove("selected"));
    card.classList.add("selected");
    const data = await (await fetch(`${API}/catalog/items?restaurant_id=${encodeURIComponent(restaurant.restaurant_id)}`)).json();
    items = data.items;
    $("menu-title").hidden = false;
    $("menu-title").textContent = `Menu · ${restaurant.name}`;
    $("items").replaceChildren();
    items.forEach((item, i) => {
      $("items").appendChild(itemCard(item, i + 1));
      emit("impression", item.restaurant_id, "restaurant", { item_id: item.item_id, position: i + 1 });
    });
  }

  function itemCard(item, position) {
    const card = h("div", { className: "item", dataset: { itemId: item.item_id } },
      h("strong", {}, item.name), " ", h("span", { className: item.is_veg ? "veg" : "nonveg" }, item.is_veg ? "veg" : "non-veg"),
      h("div", { className: "hint" }, `${item.category} · ${item.cuisine}`),
      h("span", { className: "price" }, `₹${item.price}`), " ", h("button", { className: "add" }, "Add"));
    card.addEventListener("click", (event) => {
      if (event.target.classList.contains("add")) return;
      card.classList.toggle("open");
      emit("click", item.restaurant_id, "restaurant", { item_id: item.item_id, position: position });
    });
    card.querySelector(".add").addEventListener("click", () => add(item));
    return card;
  }

  // --- cart and order ----------------------------------------------------------------------
  function add(item) {
    const other = [...cart.values()].find((line) => line.item.restaurant_id !== item.restaurant_id);
    if (other) [...cart.values()].forEach((line) => remove(line.item, line.quantity));
    const line = cart.get(item.item_id) || { item: item, quantity: 0 };
    line.quantity += 1;
    cart.set(item.item_id, line);
    emit("add_to_cart", item.restaurant_id, "restaurant", { item_id: item.item_id, quantity: 1 });
    renderCart();
  }

  function remove(item, quantity) {
    const line = cart.get(item.item_id);
    line.quantity -= quantity;
    if (line.quantity <= 0) cart.delete(item.item_id);
    emit("remove_from_cart", item.restaurant_id, "cart", { item_id: item.item_id, quantity: quantity });
    renderCart();
  }

  function renderCart() {
    const list = $("cart");
    list.replaceChildren(...(cart.size ? [] : [h("li", { className: "empty" }, "Empty. Add something tasty.")]));
    let total = 0;
    cart.forEach((line) => {
      total += Number(line.item.price) * line.quantity;
      const li = h("li", {}, h("span", {}, line.item.name),
        h("span", {}, `${line.quantity} × ₹${line.item.price} `, h("button", { className: "remove" }, "−")));
      li.querySelector(".remove").addEventListener("click", () => remove(line.item, 1));
      list.appendChild(li);
    });
    $("cart-total").textContent = `₹${total.toFixed(2)}`;
    $("place-order").disabled = cart.size === 0;
  }

  async function placeOrder() {
    const lines = [...cart.values()];
    const restaurantId = lines[0].item.restaurant_id;
    emit("checkout_started", restaurantId, "checkout");
    await flush();
    const eventId = uuid();
    const now = new Date().toISOString();
    const body = {
      event_id: eventId, user_id: userId, restaurant_id: restaurantId, session_id: sessionId,
      payment_method: $("payment").value, occurred_at: now, sent_at: now,
      lines: lines.map((l) => ({ item_id: l.item.item_id, quantity: l.quantity })),
    };
    const answer = await post("/orders", body, { "Idempotency-Key": eventId });
    if (answer.status >= 300) return log(`order refused: ${answer.status} ${answer.body.detail || ""}`);
    cart.clear();
    renderCart();
    await showOrder(answer.body); // the receipt's order_id: the server's id for the order
  }

  async function showOrder(receipt) {
    order = receipt;
    $("order-card").hidden = false;
    $("order-id").textContent = order.order_id;
    document.body.dataset.orderId = order.order_id;
    await followOrder();
  }

  async function followOrder() {
    if (!order) return;
    const response = await fetch(`${API}/orders/${encodeURIComponent(order.order_id)}`);
    const view = await response.json();
    if (!response.ok) return log(`order ${order.order_id}: ${response.status} ${view.detail || ""}`);
    $("order-status").textContent = view.status;
    document.body.dataset.orderStatus = view.status;
    $("order-total").textContent = `₹${view.total_amount} ${view.currency}`;
    $("order-history").replaceChildren(...view.history.map((entry) =>
      h("li", {}, `${entry.event_time.slice(11, 19)} ${entry.event_type}`, entry.reason ? h("span", { className: "reason" }, ` (${entry.reason})`) : null)));
    $("advance").disabled = !NEXT[view.status];
    $("cancel").disabled = view.status === "delivered" || view.status === "cancelled";
  }
  setInterval(followOrder, 1500);

  async function changeStatus(status, reason) {
    const eventId = uuid();
    const now = new Date().toISOString();
    const answer = await post(`/orders/${encodeURIComponent(order.order_id)}/status`, { status: status, reason: reason, event_id: eventId, occurred_at: now, sent_at: now }, { "Idempotency-Key": eventId });
    log(`status ${status} → ${answer.status}`);
    await followOrder();
  }

  $("place-order").addEventListener("click", placeOrder);
  $("advance").addEventListener("click", () => changeStatus(NEXT[$("order-status").textContent]));
  $("cancel").addEventListener("click", () => changeStatus("cancelled", "customer request"));
  $("city").addEventListener("change", loadRestaurants);
  window.addEventListener("beforeunload", flush);

  loadRestaurants().then((restaurants) => {
    const cities = [...new Set(restaurants.map((r) => r.city))].sort();
    cities.forEach((c) => $("city").appendChild(h("option", { value: c }, c)));
    // /storefront?order=ID follows an order placed elsewhere (the id from its receipt).
    const wanted = new URLSearchParams(location.search).get("order");
    if (wanted) showOrder({ order_id: wanted }).then(() => { document.body.dataset.ready = "true"; });
    else document.body.dataset.ready = "true";
  });
})();
