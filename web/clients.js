// The connected-clients table, polled from the server's /clients endpoint.
// On failure (server down) the last known list stays, dimmed.
import { authHeaders } from "./token.js";

export function pollClients({ table, status, intervalMs }) {
  const poll = async () => {
    try {
      const res = await fetch("/clients", { cache: "no-store", headers: authHeaders() });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      drawClients(table, await res.json());
      table.classList.remove("stale");
      status.textContent = "";
    } catch (e) {
      table.classList.add("stale");
      status.textContent = `(unavailable: ${e.message}; last known below)`;
    }
    setTimeout(poll, intervalMs);
  };
  poll();
}

function drawClients(table, clients) {
  table.dataset.count = clients.length;
  const nowUs = Date.now() * 1000;
  const rows = clients.map((c) => {
    const tr = document.createElement("tr");
    tr.dataset.name = c.name;
    tr.dataset.lag = c.lag;
    const receipt = c.last_ack_at ? `${((nowUs - c.last_ack_at) / 1e6).toFixed(1)} s ago` : "–";
    for (const text of [c.name || "(no name)", c.address, c.lag, c.last_acked || "–", receipt])
      tr.insertCell().textContent = text;
    return tr;
  });
  table.tBodies[0].replaceChildren(...rows);
}
