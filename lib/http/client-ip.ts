import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";

/**
 * Who is on the other end of a request, believing forwarding headers only from proxies we trust.
 *
 * The direct peer (the TCP connection's remote address) is not on a Web Request. The server
 * (lib/http/server.ts, with `stampPeer` and `markPeerStamped` below), for every request, replaces any incoming `x-keycenter-peer` / `x-keycenter-peer-proto` header with the
 * socket's remote address and whether the connection is TLS, and marks the process as
 * stamped. `X-Forwarded-For`, `X-Real-IP` and `X-Forwarded-Proto` count only when that peer
 * is in KEYCENTER_TRUSTED_PROXIES (comma-separated IP addresses and CIDR ranges).
 */
export const PEER_HEADER = "x-keycenter-peer";
export const PEER_PROTO_HEADER = "x-keycenter-peer-proto";
/** Set on globalThis by markPeerStamped: the peer headers of this process's requests are ours. */
const STAMPED = Symbol.for("keycenter.peer-stamped");

type Address = ipaddr.IPv4 | ipaddr.IPv6;
/** What is read of a request's headers: a `Headers`, or a thin view of node:http's (lib/gateway/pipeline.ts nodeHeaders). */
type HeaderSource = Pick<Headers, "get">;
type Range = [Address, number];

/** An address as written in a header or the socket: v4-mapped v6 becomes v4; with an `ip:port` or `[v6]:port`, the port goes. */
function parseAddress(raw: string | null | undefined): Address | null {
  if (!raw) return null;
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  if (!ipaddr.isValid(s)) return null;
  try {
    return ipaddr.process(s);
  } catch {
    return null;
  }
}

/** KEYCENTER_TRUSTED_PROXIES: `10.0.0.5, 10.1.0.0/16, ::1`. Throws on an entry that is neither an address nor a CIDR range. */
export function parseTrustedProxies(value: string | undefined): Range[] {
  const ranges: Range[] = [];
  for (const entry of (value ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    if (entry.includes("/")) {
      try {
        const [base, bits] = ipaddr.parseCIDR(entry);
        const v4 = base.kind() === "ipv6" && (base as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96;
        ranges.push(v4 ? [(base as ipaddr.IPv6).toIPv4Address(), bits - 96] : [base, bits]);
        continue;
      } catch {
        // falls through to the error below
      }
    } else {
      const address = parseAddress(entry);
      if (address) {
        ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
        continue;
      }
    }
    throw new Error(`KEYCENTER_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
  }
  return ranges;
}

function isTrusted(address: Address, trusted: readonly Range[]): boolean {
  return trusted.some(([base, bits]) =>
    address.kind() === "ipv4"
      ? base.kind() === "ipv4" && (address as ipaddr.IPv4).match(base as ipaddr.IPv4, bits)
      : base.kind() === "ipv6" && (address as ipaddr.IPv6).match(base as ipaddr.IPv6, bits),
  );
}

export interface PeerOptions {
  /** The trusted proxies (parseTrustedProxies). */
  trusted: readonly Range[];
  /** Whether the peer headers were stamped by the server (else the peer is unknown). */
  stamped: boolean;
}

/** The direct peer, or null when this process does not stamp it (then it is not known). */
function peerOf(h: HeaderSource, options: PeerOptions): Address | null {
  return options.stamped ? parseAddress(h.get(PEER_HEADER)) : null;
}

/**
 * The client's address: the direct peer, unless the peer is a trusted proxy; then the
 * rightmost address of X-Forwarded-For that is not a trusted proxy (addresses left of it were
 * written by the client and prove nothing), else X-Real-IP, else the leftmost forwarded address.
 * null when the peer is not known.
 */
export function clientAddress(h: HeaderSource, options: PeerOptions): string | null {
  const peer = peerOf(h, options);
  if (!peer) return null;
  if (!isTrusted(peer, options.trusted)) return peer.toString();
  const forwarded = (h.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  let nearest = peer;
  for (let i = forwarded.length - 1; i >= 0; i--) {
    const hop = parseAddress(forwarded[i]);
    // Junk a trusted proxy passed on: the last hop we could read is as far as we can see.
    if (!hop) return nearest.toString();
    if (!isTrusted(hop, options.trusted)) return hop.toString();
    nearest = hop;
  }
  if (forwarded.length === 0) {
    const real = parseAddress(h.get("x-real-ip"));
    if (real) return real.toString();
  }
  return nearest.toString();
}

/**
 * Whether the request reached us over TLS: the connection itself, or (from a trusted proxy
 * only) X-Forwarded-Proto's first value says https.
 */
export function requestIsHttps(h: HeaderSource, options: PeerOptions): boolean {
  if (!options.stamped) return false;
  if (h.get(PEER_PROTO_HEADER) === "https") return true;
  const peer = peerOf(h, options);
  if (!peer || !isTrusted(peer, options.trusted)) return false;
  return h.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

let cached: { value: string | undefined; ranges: Range[] } | null = null;

/** This process's options: KEYCENTER_TRUSTED_PROXIES (parsed once per value; the launcher has checked it) and the stamp. */
export function peerOptions(env: Record<string, string | undefined> = process.env): PeerOptions {
  const value = env.KEYCENTER_TRUSTED_PROXIES;
  if (!cached || cached.value !== value) {
    let ranges: Range[];
    try {
      ranges = parseTrustedProxies(value);
    } catch {
      ranges = [];
    }
    cached = { value, ranges };
  }
  return { trusted: cached.ranges, stamped: (globalThis as Record<symbol, unknown>)[STAMPED] === true };
}

/** The client's address for audit records and rate limits (clientAddress with this process's settings). */
export function clientIp(h: HeaderSource): string | null {
  return clientAddress(h, peerOptions());
}

/** Marks this process: its requests' peer headers are ours (peerOptions reads the mark). */
export function markPeerStamped(): void {
  (globalThis as Record<symbol, unknown>)[STAMPED] = true;
}

/** Overwrites the peer headers with the socket's address and protocol (also in rawHeaders, kept the same length). */
export function stampPeer(req: IncomingMessage): void {
  const socket = req.socket as IncomingMessage["socket"] & { encrypted?: boolean };
  const peer = socket.remoteAddress ?? "";
  const proto = socket.encrypted ? "https" : "http";
  req.headers[PEER_HEADER] = peer;
  req.headers[PEER_PROTO_HEADER] = proto;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // Cheap pre-check: only names of the right length are lower-cased and compared.
    if (name.length !== PEER_HEADER.length && name.length !== PEER_PROTO_HEADER.length) continue;
    const lower = name.toLowerCase();
    if (lower === PEER_HEADER) raw[i + 1] = peer;
    else if (lower === PEER_PROTO_HEADER) raw[i + 1] = proto;
  }
}
