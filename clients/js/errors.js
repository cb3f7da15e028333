// What the client throws, or hands to onStop: only where retrying cannot help.

export class ArraycastError extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
}

// A message that does not follow docs/PROTOCOL.md; such a message is skipped.
export class ProtocolError extends ArraycastError {}

// A binary packet of another layout version: client and server must be updated together.
export class UnsupportedLayout extends ProtocolError {}

// The server closed with a code in 4500–4999: reconnecting would fail the same way.
export class DoNotReconnect extends ArraycastError {
  constructor(url, code, reason) {
    super(`${url} closed the connection with ${code}${reason ? ` (${reason})` : ""}; it asks not to reconnect`);
    Object.assign(this, { url, code, reason });
  }
}

// The upgrade was answered 401 or 403: the token is missing, wrong, or lacks the 'read' scope.
export class Refused extends ArraycastError {
  constructor(url, status) {
    super(`${url} refused the upgrade with ${status}: ${status === 401
      ? "a valid token is needed (the token option)" : "the token lacks the 'read' scope, or the origin is refused"}`);
    Object.assign(this, { url, status });
  }
}

// maxRetries attempts in a row failed.
export class GaveUp extends ArraycastError {
  constructor(url, attempts, reason) {
    super(`giving up on ${url} after ${attempts} attempts (maxRetries ${attempts - 1}): ${reason}`);
    Object.assign(this, { url, attempts, reason });
  }
}
