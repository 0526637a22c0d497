// Mediators' console: live updates (server-sent events) and actions without reloading.
// Resident text is only ever inserted with textContent: it can never become HTML.
"use strict";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const STATUS = {
  waiting: () => "En attente d'un médiateur",
  with_mediator: (c, me) => c.mediator === me ? "Vous suivez cette conversation" : "Prise en charge par " + c.mediator,
  bot: () => "L'assistant automatique répond",
  closed: () => "Conversation close",
};

function csrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function showError(message) {
  const box = document.getElementById("error");
  if (!box) return;
  box.textContent = message || "";
  box.hidden = !message;
}

function whoLabel(line) {
  if (line.who === "resident") return "Habitant";
  if (line.who === "mediator") return line.mediator || "Médiateur";
  return "Assistant";
}

function renderConversation(page, c) {
  const me = page.dataset.me;
  const mine = c.state === "with_mediator" && c.mediator === me;
  const boss = page.dataset.supervisor === "yes";
  const held = c.state === "with_mediator";
  const status = document.getElementById("status");
  status.dataset.state = c.state;
  status.dataset.mediator = c.mediator || "";
  let text = (STATUS[c.state] || (() => c.state))(c, me);
  if (c.state === "waiting" && c.position) text += " (n°" + c.position + " dans la file, depuis " + c.waited + ")";
  status.textContent = text;
  document.getElementById("urgent-badge").hidden = !c.urgent;
  document.getElementById("claim").disabled = c.state !== "waiting";
  for (const id of ["send", "reply-text"]) document.getElementById(id).disabled = !mine;
  document.getElementById("handback").disabled = !(mine || (boss && held));
  document.getElementById("close").disabled = !(mine || c.state === "waiting" || (boss && held));
  const takeover = document.getElementById("takeover");
  if (takeover) takeover.disabled = !(c.state === "waiting" || (held && !mine));
  const transfer = document.getElementById("transfer");
  transfer.disabled = !(mine || (boss && held)) || !document.querySelector(".transfer option");
  if (c.error) showError(c.error);

  const list = document.getElementById("transcript");
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 10;
  list.replaceChildren(...(c.lines || []).map((line) => {
    const item = el("li", "line " + line.who);
    item.append(el("span", "who", whoLabel(line)), el("span", "text", line.text));
    if (line.when) item.append(el("span", "when", line.when));
    if (line.delivery) item.append(el("span", "delivery " + line.delivery.status, line.delivery.label));
    return item;
  }));
  if (atBottom) list.scrollTop = list.scrollHeight;
  document.getElementById("notes").replaceChildren(...(c.notes || []).map((n) => {
    const item = el("li");
    item.append(el("span", "who", n.mediator), " ", el("span", "when", n.when || ""), document.createTextNode(" " + n.text));
    return item;
  }));
  document.getElementById("history").replaceChildren(
    ...(c.history_fr || []).map((h) => el("li", "", h)));
}

function queueTitle(count) {
  return (count ? "(" + count + ") " : "") + "File d'attente · PIMMS";
}

function renderRows(container, rows, empty, fresh) {
  if (!rows.length) {
    container.replaceChildren(el("p", "empty", empty));
    return;
  }
  const table = el("table");
  const head = el("tr");
  for (const title of ["Urgence", "Personne", "Pourquoi", "Thème · dernier message", "Depuis", "Suivi", ""]) {
    head.append(el("th", "", title));
  }
  const thead = el("thead");
  thead.append(head);
  const body = el("tbody");
  for (const r of rows) {
    const isNew = fresh && fresh.has(r.sender_id);
    const tr = el("tr", (r.urgent ? "urgent" : "") + (isNew ? " new" : ""));
    tr.dataset.sender = r.sender_id;
    const badge = el("span", r.urgent ? "badge urgent" : "badge", r.urgent ? "URGENT" : "normal");
    const who = el("span");
    const link = el("a", "", r.label);
    link.href = "/c/" + encodeURIComponent(r.sender_id);
    who.append(link, " ", el("small", "", r.channel || ""));
    if (r.note_count) who.append(" ", el("span", "badge notes", r.note_count + (r.note_count > 1 ? " notes" : " note")));
    if (isNew) who.append(" ", el("span", "badge new", "nouveau"));
    const topic = el("span");
    topic.append(el("span", "themes", r.themes || ""));
    if (r.preview) topic.append(el("br"), el("q", "preview", r.preview));
    const open = el("a", "button", "Ouvrir");
    open.href = link.href;
    const cells = [badge, who, r.why || "", topic, r.since || r.waited, r.mediator || "—", open];
    const classes = ["", "", "why", "topic", "since", "", ""];
    cells.forEach((cell, index) => {
      const td = el("td", classes[index]);
      if (typeof cell === "string") td.textContent = cell; else td.append(cell);
      tr.append(td);
    });
    body.append(tr);
  }
  table.append(thead, body);
  container.replaceChildren(table);
}

function beep() {
  try {
    const audio = new (window.AudioContext || window.webkitAudioContext)();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.08;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  } catch (err) { /* no sound available: the badge and the title still tell */ }
}

let knownQueue = null;

function countWaitingInTitle() {
  // Other pages keep the number of waiting residents in the tab title too.
  const base = document.title.replace(/^\(\d+\) /, "");
  const source = new EventSource("/events/queue");
  source.addEventListener("queue", (event) => {
    const waiting = JSON.parse(event.data).queue.length;
    document.title = (waiting ? "(" + waiting + ") " : "") + base;
  });
}

function renderQueue(view) {
  const page = document.getElementById("queue-page");
  const ids = new Set(view.queue.map((r) => r.sender_id));
  const fresh = new Set(knownQueue === null ? [] : [...ids].filter((id) => !knownQueue.has(id)));
  knownQueue = ids;
  document.getElementById("queue-count").textContent = String(view.queue.length);
  document.title = queueTitle(view.queue.length);
  renderRows(document.getElementById("queue"), view.queue, "Personne n'attend.", fresh);
  renderRows(document.getElementById("mine"), view.mine, "Aucune conversation en cours.");
  renderRows(document.getElementById("others"), view.others, "Aucune.");
  if (fresh.size) {
    page.dataset.alerts = String(Number(page.dataset.alerts || 0) + fresh.size);
    const urgent = view.queue.some((r) => fresh.has(r.sender_id) && r.urgent);
    const banner = document.getElementById("new-alert");
    banner.textContent = urgent ? "Nouvelle demande URGENTE" : "Nouvelle demande";
    banner.className = urgent ? "alert urgent" : "alert";
    banner.hidden = false;
    beep();
  }
}

function listen(page, name, render) {
  const source = new EventSource(page.dataset.stream);
  source.addEventListener(name, (event) => render(JSON.parse(event.data)));
  source.addEventListener("open", () => document.body.classList.add("live"));
  source.addEventListener("error", () => document.body.classList.remove("live"));
  // The server ends the stream when the session ends (logout, password change, account deleted).
  source.addEventListener("logout", () => { source.close(); window.location.href = "/login"; });
}

async function submitAction(form) {
  showError("");
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => { b.dataset.wasDisabled = b.disabled; b.disabled = true; });
  try {
    const response = await fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf(), "X-Requested-With": "fetch" },
    });
    const result = await response.json().catch(() => ({ ok: false, error: "Erreur " + response.status }));
    if (!result.ok) { showError(result.error || "Erreur"); return; }
    const text = form.querySelector("textarea");
    if (text) text.value = "";
  } catch (err) {
    showError("Connexion perdue. Réessayez.");
  } finally {
    buttons.forEach((b) => { b.disabled = b.dataset.wasDisabled === "true"; });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.confirm")) {
    form.addEventListener("submit", (event) => { if (!window.confirm(form.dataset.confirm)) event.preventDefault(); });
  }
  const printButton = document.getElementById("print");
  if (printButton) printButton.addEventListener("click", () => window.print());
  const queuePage = document.getElementById("queue-page");
  if (queuePage) listen(queuePage, "queue", renderQueue);
  // A conversation page already holds one stream; browsers allow only six connections per host.
  else if (csrf() && !document.getElementById("conversation-page")) countWaitingInTitle();
  const page = document.getElementById("conversation-page");
  if (!page) return;
  // null: the conversation was erased; reloading shows that it is gone.
  listen(page, "conversation", (c) => (c ? renderConversation(page, c) : window.location.reload()));
  for (const form of page.querySelectorAll("form[data-action]")) {
    form.addEventListener("submit", (event) => { event.preventDefault(); submitAction(form); });
  }
  for (const button of page.querySelectorAll(".canned-reply")) {
    button.addEventListener("click", () => {
      const box = document.getElementById("reply-text");
      box.value = button.dataset.text;
      box.focus();
    });
  }
});
