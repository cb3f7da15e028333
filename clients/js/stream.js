// The async iterator over a connection: packets and gaps in order, each
// packet acked when the caller asks for the next item (done with it, as the
// recorder acks once a packet is in its file). Leaving the loop, or aborting
// options.signal (an AbortSignal), closes the connection with 1000 and ends
// the iteration; an end that retrying cannot help is thrown.
import { connect } from "./client.js";

const MAX_BUFFERED = 10_000;  // items received and not yet taken; more pauses the connection

export async function* stream(url, options = {}) {
  const items = [];  // received, not yet taken; kept across reconnects (resume starts after them)
  const maxBuffered = options.maxBuffered ?? MAX_BUFFERED;
  let end = null;
  let wake = null;
  const notify = () => wake?.();
  // A consumer that falls behind is not buffered without bound: the
  // connection pauses, and resumes from history once half is taken.
  const push = (item) => {
    if (items.push(item) >= maxBuffered) client.pause();
    notify();
  };
  const onStop = (error) => { end = { error }; options.onStop?.(error); notify(); };
  const client = connect(url, { ...options, autoAck: false, onPacket: push, onGap: push, onStop });
  options.signal?.addEventListener("abort", () => client.close(), { once: true });
  if (options.signal?.aborted) client.close();
  try {
    for (;;) {
      if (items.length) {
        const item = items.shift();
        if (items.length <= maxBuffered / 2) client.resume();
        yield item;
        if (item.type === "packet") client.ack(item);
      } else if (end) {
        if (end.error) throw end.error;
        return;
      } else {
        await new Promise((resolve) => { wake = resolve; });
      }
    }
  } finally {
    client.close();
  }
}
