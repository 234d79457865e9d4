// The wallboard page: draws the board the server sends over Server-Sent
// Events (/events), redraws it whole after a resync, and counts waits up
// every second between updates. No framework; text goes in as text.
"use strict";

const STATUS_TEXT = {
  live: "Live",
  resyncing: "Resyncing…",
  stale: "Stale: PBX link down",
  offline: "Offline: reconnecting…",
  connecting: "Connecting…",
};
const CALL_TEXT = {
  dialing: ["ringing", "Dialing"],
  ringing: ["ringing", "Ringing"],
  up: ["talking", "Talking"],
  queued: ["waiting", "Waiting"],
};
const MEMBER_TEXT = {
  free: "Free",
  ringing: "Ringing",
  talking: "Talking",
  paused: "Paused",
  unavailable: "Unavailable",
};

let board;
let clockOffset = 0;
let note = "";

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  for (const child of children) node.append(child);
  return node;
}

function duration(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

function serverNow() {
  return Date.now() + clockOffset;
}

function showStatus(status) {
  const node = document.getElementById("status");
  node.dataset.status = status;
  node.textContent = (STATUS_TEXT[status] ?? status) + (note ? ` · ${note}` : "");
}

function drawQueue(queue) {
  const callers = element("ol", { "aria-label": `Callers waiting in ${queue.name}` });
  for (const caller of queue.callers) {
    callers.append(element(
      "li",
      { "data-uniqueid": caller.uniqueid, class: "caller" },
      `${caller.position}. ${caller.who} `,
      element(
        "span",
        { class: "waited", "data-since": caller.joinedAt },
        duration(serverNow() - caller.joinedAt),
      ),
    ));
  }
  if (queue.callers.length === 0) {
    callers.append(element("li", { class: "empty" }, "Nobody waiting"));
  }
  const members = element("ul", { "aria-label": `Agents of ${queue.name}` });
  for (const member of queue.members) {
    const label = MEMBER_TEXT[member.state] +
      (member.state === "paused" && member.reason ? `: ${member.reason}` : "");
    members.append(element(
      "li",
      { "data-interface": member.interface, "data-state": member.state, class: "member" },
      element("span", { class: `badge ${member.state}` }, label),
      element(
        "span",
        { class: "who" },
        `${member.name} · ${member.calls} ${member.calls === 1 ? "call" : "calls"}`,
      ),
    ));
  }
  return element(
    "article",
    { class: "queue", "data-queue": queue.name, "aria-labelledby": `queue-${queue.name}` },
    element(
      "h3",
      { id: `queue-${queue.name}` },
      `${queue.name} `,
      element(
        "span",
        { class: "counters" },
        `${queue.callers.length} waiting · ${queue.completed} completed · ${queue.abandoned} abandoned`,
      ),
    ),
    element(
      "div",
      { class: "columns" },
      element("div", {}, element("h4", {}, "Waiting"), callers),
      element("div", {}, element("h4", {}, "Agents"), members),
    ),
  );
}

function parties(list) {
  return list.flatMap((party, index) => [
    ...(index > 0 ? [" ↔ "] : []),
    party.name,
    ...(party.device && party.device !== party.name
      ? [" ", element("small", { class: "device" }, party.device)]
      : []),
  ]);
}

function callState(call) {
  const [look, text] = CALL_TEXT[call.state] ?? ["unavailable", call.state];
  return element("span", { class: `badge ${look}` }, call.queue ? `${text}: ${call.queue}` : text);
}

function draw(next) {
  board = next;
  clockOffset = next.now - Date.now();
  document.body.dataset.revision = next.revision;
  showStatus(next.status);
  document.getElementById("queues").replaceChildren(...next.queues.map(drawQueue));
  const rows = next.calls.map((call) =>
    element(
      "tr",
      { "data-call": call.id, "data-state": call.state },
      element("td", {}, ...parties(call.parties)),
      element("td", {}, callState(call)),
      element(
        "td",
        { class: "waited", "data-since": call.since },
        duration(serverNow() - call.since),
      ),
    )
  );
  document.querySelector("#calls tbody").replaceChildren(...rows);
  document.getElementById("call-count").textContent = `(${next.calls.length})`;
}

function tick() {
  for (const node of document.querySelectorAll("[data-since]")) {
    node.textContent = duration(serverNow() - Number(node.dataset.since));
  }
}

function connect() {
  const source = new EventSource("/events");
  source.addEventListener("state", (event) => draw(JSON.parse(event.data)));
  source.addEventListener("resync", (event) => {
    const { reason, state } = JSON.parse(event.data);
    note = `${reason === "restart" ? "PBX restarted" : "resynced"} at ${
      new Date().toLocaleTimeString()
    }`;
    draw(state);
  });
  source.addEventListener("open", () => {
    if (board !== undefined) note = `reconnected at ${new Date().toLocaleTimeString()}`;
  });
  source.addEventListener("error", () => showStatus("offline"));
}

setInterval(tick, 1000);
connect();
