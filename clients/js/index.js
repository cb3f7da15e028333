// arraycast-client: the stream of an `arraycast serve`, in browsers and Node.
// README.md says how to use it; docs/PROTOCOL.md is what it speaks.
export { stream } from "./stream.js";
export { connect } from "./client.js";
export { decodeBinary, decodeText, LAYOUT_VERSION } from "./decode.js";
export { ArraycastError, DoNotReconnect, GaveUp, ProtocolError, Refused, UnsupportedLayout } from "./errors.js";
