// The access token a server started with --auth wants, taken from this
// page's own URL (/?token=…): passed on the stream's URL (a browser cannot
// set headers on a WebSocket) and as a Bearer header on fetches.
const TOKEN = new URLSearchParams(location.search).get("token");

export function withToken(url) {
  return TOKEN ? `${url}?token=${encodeURIComponent(TOKEN)}` : url;
}

export function authHeaders() {
  return TOKEN ? { Authorization: `Bearer ${TOKEN}` } : {};
}
