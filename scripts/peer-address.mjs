/**
 * Preloaded into the Next.js server process by scripts/start.ts (node --import): the direct
 * peer of each request, which a Web Request does not carry, as two request headers that only
 * this process writes. Any incoming header of the same name is overwritten, so a client
 * cannot pose as a trusted proxy. lib/http/client-ip.ts reads them (the names are the same
 * there) only when the mark below is set in its process.
 *
 * It listens on Node's `http.server.request.start` diagnostics channel, which Node publishes
 * for every request (http and https servers) just before the server's 'request' event.
 */
import diagnostics from "node:diagnostics_channel";

const PEER = "x-keycenter-peer";
const PROTO = "x-keycenter-peer-proto";

diagnostics.subscribe("http.server.request.start", ({ request, socket }) => {
  const stamp = { [PEER]: socket.remoteAddress ?? "", [PROTO]: socket.encrypted ? "https" : "http" };
  const headers = request.headers; // parsed from rawHeaders now, before rawHeaders is touched
  Object.assign(headers, stamp);
  // rawHeaders keeps its length (Node counts on it): a sent copy gets our value too.
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name === PEER || name === PROTO) raw[i + 1] = stamp[name];
  }
});

globalThis[Symbol.for("keycenter.peer-stamped")] = true;
