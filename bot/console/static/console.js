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

// WhatsApp's 24-hour window (bot/console/whatsapp.py): its state at every update of the page, and the switch to
// "closed" (with the follow-up template) when the time runs out while the page stays open: no message marks it.
let windowTimer = null;
function renderWhatsAppWindow(w) {
  const form = document.getElementById("whatsapp-window");
  if (!form || !w) return;
  const show = (open, text) => {
    form.dataset.open = open ? "yes" : "no";
    document.getElementById("whatsapp-state").textContent = text;
    for (const node of form.querySelectorAll(".template-text, #send-template")) node.hidden = open;
  };
  show(w.open, w.state);
  clearTimeout(windowTimer);
  if (w.open) windowTimer = setTimeout(() => show(false, w.closed_state), w.seconds_left * 1000);
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
  // Closing ends the resident's hand-off: only once claimed (a supervisor may close any), and after a confirm.
  document.getElementById("close").disabled = !(mine || (boss && (held || c.state === "waiting")));
  const takeover = document.getElementById("takeover");
  if (takeover) takeover.disabled = !(c.state === "waiting" || (held && !mine));
  const transfer = document.getElementById("transfer");
  transfer.disabled = !(mine || (boss && held)) || !document.querySelector(".transfer option");
  if (c.error) showError(c.error);
  renderWhatsAppWindow(c.whatsapp);

  const list = document.getElementById("transcript");
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 10;
  list.replaceChildren(...(c.lines || []).map((line) => {
    const item = el("li", "line " + line.who);
    const text = el("span", "text", line.text);
    text.dir = "auto"; // Arabic and other right-to-left messages read in their own direction
    item.append(el("span", "who", whoLabel(line)), text);
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

const TITLES = ["Urgence", "Personne", "Pourquoi", "Thème · dernier message", "Depuis", "Suivi", ""];
const LABELS = ["Urgence", "Personne", "Pourquoi", "Thème", "Depuis", "Suivi", ""];

function renderRows(container, rows, empty, fresh, pins) {
  if (!rows.length) {
    container.replaceChildren(el("p", "empty", empty));
    return;
  }
  const table = el("table", "cards");
  const head = el("tr");
  for (const title of TITLES) {
    head.append(el("th", "", title));
  }
  const thead = el("thead");
  thead.append(head);
  const body = el("tbody");
  for (const r of rows) {
    const isNew = fresh && fresh.has(r.sender_id);
    const isPinned = pins && pins.has(r.sender_id);
    const tr = el("tr", (r.urgent ? "urgent" : "") + (isNew ? " new" : "") + (isPinned ? " pinned" : ""));
    tr.dataset.sender = r.sender_id;
    const badge = el("span", r.urgent ? "badge urgent" : "badge", r.urgent ? "URGENT" : "normal");
    const who = el("span");
    const link = el("a", "", r.label);
    link.href = "/c/" + encodeURIComponent(r.sender_id);
    who.append(link, " ", el("small", "", r.channel || ""));
    if (r.language_code && r.language_code !== "fr") {
      const lang = el("span", "badge lang", r.language);
      lang.lang = r.language_code;
      lang.title = "Parlent cette langue : " + (r.speakers || "personne");
      who.append(" ", lang);
    }
    if (r.note_count) who.append(" ", el("span", "badge notes", r.note_count + (r.note_count > 1 ? " notes" : " note")));
    if (isNew) who.append(" ", el("span", "badge new", "nouveau"));
    if (isPinned) who.append(" ", el("span", "badge urgent-new", "non ouverte"));
    const topic = el("span");
    topic.append(el("span", "themes", r.themes || ""));
    if (r.preview) {
      const preview = el("q", "preview", r.preview);
      preview.dir = "auto";
      topic.append(r.themes ? el("br") : "", preview);
    }
    const open = el("a", "button", "Ouvrir");
    open.href = link.href;
    const cells = [badge, who, r.why || "", topic, r.since || r.waited, r.mediator || "—", open];
    const classes = ["", "", "why", "topic", "since", "", ""];
    cells.forEach((cell, index) => {
      const td = el("td", classes[index]);
      if (LABELS[index]) td.dataset.label = LABELS[index]; // shown on a phone, where rows become cards
      if (typeof cell === "string") td.textContent = cell; else td.append(cell);
      tr.append(td);
    });
    body.append(tr);
  }
  table.append(thead, body);
  container.replaceChildren(table);
}

function beep(times) {
  try {
    const audio = new (window.AudioContext || window.webkitAudioContext)();
    for (let i = 0; i < (times || 1); i += 1) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.08;
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + i * 0.4);
      tone.stop(audio.currentTime + i * 0.4 + 0.25);
    }
  } catch (err) { /* no sound available: the banner and the title still tell */ }
}

// Urgent rows not yet opened stay pinned at the top of the queue, across reloads, until a mediator opens them.
const PINNED_KEY = "pimms-urgent-unopened";

function pinned() {
  try { return new Set(JSON.parse(window.localStorage.getItem(PINNED_KEY) || "[]")); } catch (err) { return new Set(); }
}

function savePinned(refs) {
  try { window.localStorage.setItem(PINNED_KEY, JSON.stringify([...refs])); } catch (err) { /* private mode */ }
}

function unpin(ref) {
  const refs = pinned();
  if (refs.delete(ref)) savePinned(refs);
}

let knownQueue = null; // sender ref -> urgent, as last shown

function queueNews(queue) {
  // Residents who just arrived, and those who just became urgent (a danger message while waiting).
  const fresh = new Set();
  const urgent = new Set();
  for (const r of queue) {
    const before = knownQueue === null ? undefined : knownQueue.get(r.sender_id);
    if (knownQueue !== null && before === undefined) fresh.add(r.sender_id);
    if (knownQueue !== null && r.urgent && before !== true) urgent.add(r.sender_id);
  }
  knownQueue = new Map(queue.map((r) => [r.sender_id, r.urgent]));
  const refs = pinned();
  for (const ref of urgent) refs.add(ref);
  const waiting = new Set(queue.map((r) => r.sender_id));
  for (const ref of [...refs]) if (!waiting.has(ref)) refs.delete(ref); // claimed, closed or gone
  savePinned(refs);
  return { fresh, urgent, refs };
}

function countWaitingInTitle() {
  // Other pages keep the number of waiting residents in the tab title too, and a danger case interrupts them.
  const base = document.title.replace(/^(⚠ Demande urgente · )?\(\d+\) /, "");
  const source = new EventSource("/events/queue");
  source.addEventListener("queue", (event) => {
    const queue = JSON.parse(event.data).queue;
    const news = queueNews(queue);
    const count = queue.length ? "(" + queue.length + ") " : "";
    document.title = (news.refs.size ? "⚠ Demande urgente · " : "") + count + base;
    let banner = document.getElementById("urgent-elsewhere");
    if (!banner && news.refs.size) {
      banner = el("a", "alert urgent banner");
      banner.id = "urgent-elsewhere";
      banner.href = "/";
      document.querySelector("main").prepend(banner);
    }
    if (banner) {
      banner.textContent = "Demande urgente : ouvrir la file d'attente";
      banner.hidden = !news.refs.size;
    }
    if (news.urgent.size) beep(3);
  });
}

function renderQueue(view) {
  const page = document.getElementById("queue-page");
  const news = queueNews(view.queue);
  // Newly urgent rows first (pinned until opened), then the server's order (urgent first, longest wait).
  const queue = [...view.queue.filter((r) => news.refs.has(r.sender_id)),
    ...view.queue.filter((r) => !news.refs.has(r.sender_id))];
  document.getElementById("queue-count").textContent = String(queue.length);
  document.title = (news.refs.size ? "⚠ Demande urgente · " : "") + queueTitle(queue.length);
  renderRows(document.getElementById("queue"), queue, "Personne n'attend.", news.fresh, news.refs);
  renderRows(document.getElementById("mine"), view.mine, "Aucune conversation en cours.");
  renderRows(document.getElementById("others"), view.others, "Aucune.");
  const banner = document.getElementById("new-alert");
  if (news.fresh.size || news.urgent.size) {
    const alerts = new Set([...news.fresh, ...news.urgent]).size;
    page.dataset.alerts = String(Number(page.dataset.alerts || 0) + alerts);
    banner.hidden = false;
    beep(news.urgent.size ? 3 : 1);
  }
  if (news.refs.size) {
    banner.textContent = news.refs.size > 1 ? "Demandes urgentes (" + news.refs.size + ")" : "Demande urgente";
    banner.className = "alert urgent";
  } else if (news.fresh.size) {
    banner.textContent = "Nouvelle demande";
    banner.className = "alert";
  } else if (banner.classList.contains("urgent")) {
    banner.hidden = true; // every urgent case was opened or taken
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
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      else document.body.dataset.leaving = "yes"; // the page goes on to the result (e.g. "Effacé")
    });
  }
  const printButton = document.getElementById("print");
  if (printButton) printButton.addEventListener("click", () => window.print());
  const queuePage = document.getElementById("queue-page");
  if (queuePage) {
    listen(queuePage, "queue", renderQueue);
    queuePage.addEventListener("click", (event) => {
      const link = event.target.closest("tr[data-sender] a");
      if (link) unpin(link.closest("tr").dataset.sender);
    });
  }
  // A conversation page already holds one stream; browsers allow only six connections per host.
  else if (csrf() && !document.getElementById("conversation-page")) countWaitingInTitle();
  const page = document.getElementById("conversation-page");
  if (!page) return;
  if (page.dataset.sender) unpin(page.dataset.sender); // opened: no longer pinned in the queue
  // null: the conversation was erased; reloading shows that it is gone.
  listen(page, "conversation", (c) => {
    if (c) renderConversation(page, c);
    else if (!document.body.dataset.leaving) window.location.reload();
  });
  for (const form of page.querySelectorAll("form[data-action]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
      submitAction(form);
    });
  }
  for (const button of page.querySelectorAll(".canned-reply")) {
    button.addEventListener("click", () => {
      const box = document.getElementById("reply-text");
      box.value = button.dataset.text;
      box.focus();
    });
  }
});
