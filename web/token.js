// The access token a server started with --auth wants, taken from this
// page's own URL (/?token=…): handed to the stream's client, which puts it
// on the stream's URL (a browser cannot set headers on a WebSocket), and
// sent as a Bearer header on fetches.
export const TOKEN = new URLSearchParams(location.search).get("token");

export function authHeaders() {
  return TOKEN ? { Authorization: `Bearer ${TOKEN}` } : {};
}
