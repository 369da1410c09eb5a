import { createHmac, randomBytes } from "node:crypto";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent } from "undici";
import { openSecret } from "@/lib/crypto/secrets";
import type { Db } from "@/lib/db";

/**
 * Org webhooks for expiry alerts (B2). Each POST carries the JSON event and
 *   X-KeyCenter-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the org's secret>
 *   X-KeyCenter-Timestamp: <unix seconds when sent> (the body's `sentAt` says the same, signed)
 *   X-KeyCenter-Event-Id: <the alert's ID: the same on every retry, for deduplication>
 * Receivers recompute the HMAC over the exact bytes received and compare in constant time.
 */
const SIGNATURE_HEADER = "X-KeyCenter-Signature";
const TIMESTAMP_HEADER = "X-KeyCenter-Timestamp";
const EVENT_ID_HEADER = "X-KeyCenter-Event-Id";
const WEBHOOK_TIMEOUT_MS = 10_000;

/** The secret as shown once: `whsec_` + 32 random bytes, base64url. The HMAC key is this whole string (UTF-8). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** What the org's webhook secret is sealed to (lib/crypto/secrets.ts): it opens for this org only. */
export function webhookSecretContext(orgId: string) {
  return `webhook:${orgId}`;
}

/** The org's webhook, or null unless both its URL and its secret are set. The secret is opened. */
export async function orgWebhook(db: Db, orgId: string): Promise<{ url: string; secret: string } | null> {
  const s = await db.orgSettings.findUnique({ where: { orgId }, select: { webhookUrl: true, webhookSecret: true } });
  if (!s?.webhookUrl || !s.webhookSecret) return null;
  return { url: s.webhookUrl, secret: openSecret(s.webhookSecret, webhookSecretContext(orgId)).toString("utf8") };
}

export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether webhooks may reach this machine or a private network: outside production (tests,
 * local receivers), or when KEYCENTER_ALLOW_LOCAL_WEBHOOKS=1. Otherwise an administrator's
 * URL (and its "Send test event" answer) could probe internal addresses.
 */
export function localWebhooksAllowed(env: Record<string, string | undefined> = process.env): boolean {
  return env.NODE_ENV !== "production" || env.KEYCENTER_ALLOW_LOCAL_WEBHOOKS === "1";
}

const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");

/**
 * Whether an IP address (v4, v6 or v4-mapped v6) is global unicast, by ipaddr.js's ranges:
 * loopback, private, link-local, CGNAT, multicast, broadcast, reserved (198.18/15, 240/4,
 * documentation), NAT64 (64:ff9b::/96), 6to4, Teredo, unique-local and the like are not.
 * IPv4-compatible IPv6 (::/96, deprecated) is refused too: ipaddr.js calls it unicast.
 */
export function isGlobalUnicast(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    else if (v6.match(IPV4_COMPATIBLE)) return false;
  }
  return ip.range() === "unicast";
}
/** Whether an IP address is not on the public internet (not global unicast, or not an address at all). */
export function isNonPublicAddress(address: string): boolean {
  return !isGlobalUnicast(address);
}

/**
 * https only; plain http only to this machine (tests, local receivers) when local webhooks
 * are allowed; an IP address that is not public only then too. No credentials in the URL.
 */
export function checkWebhookUrl(
  raw: string,
  allowLocal = localWebhooksAllowed(),
): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: "Enter a full URL, such as https://hooks.example.com/keycenter." };
  }
  if (url.username || url.password) return { ok: false, message: "The URL must not contain a user name or password." };
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!allowLocal && (url.hostname === "localhost" || (isIP(host) !== 0 && isNonPublicAddress(host)))) {
    return { ok: false, message: "Use a public address: this machine and private networks are not allowed." };
  }
  if (url.protocol === "https:" || (allowLocal && url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname))) {
    url.hash = "";
    return { ok: true, url: url.toString() };
  }
  return {
    ok: false,
    message: allowLocal ? "Use an https:// URL (plain http only to localhost or 127.0.0.1)." : "Use an https:// URL.",
  };
}

/** One resolved address of a host, as dns.lookup gives it with `all: true`. */
export interface ResolvedAddress {
  address: string;
  family: number;
}
/** Resolves a host name to all its addresses (dns.lookup by default; tests inject their own). */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

const resolveWithDns: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Right before sending: the URL is still acceptable, its host is resolved once, and every
 * address is public (unless local webhooks are allowed). Gives the addresses to connect to
 * (and only to), or why not.
 */
async function checkDestination(
  raw: string,
  allowLocal: boolean,
  resolve: ResolveHost,
): Promise<{ ok: true; url: string; addresses: ResolvedAddress[] } | { ok: false; error: string }> {
  const checked = checkWebhookUrl(raw, allowLocal);
  if (!checked.ok) return { ok: false, error: "The webhook URL is not allowed" };
  const host = new URL(checked.url).hostname.replace(/^\[(.*)\]$/, "$1");
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : await resolve(host);
  if (addresses.length === 0 || (!allowLocal && addresses.some((a) => isNonPublicAddress(a.address)))) {
    return { ok: false, error: "The webhook's host is not a public address" };
  }
  return { ok: true, url: checked.url, addresses };
}

/**
 * A dispatcher whose connections go to the checked addresses only: its lookup answers with
 * them whatever the host name resolves to by now (no DNS rebinding between check and
 * connect). TLS still verifies the certificate against the URL's host name.
 */
function pinnedAgent(addresses: ResolvedAddress[]): Agent {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  return new Agent({ connect: { lookup }, pipelining: 0 });
}

/** The fetch that sends (the global one by default); it is given the pinned `dispatcher`. */
export type Fetch = (url: string, init: RequestInit & { dispatcher?: Agent }) => Promise<Response>;

export interface WebhookOutcome {
  ok: boolean;
  status?: number;
  /** Why it failed, fit for the database and the log: never the secret, never the response body. */
  error?: string;
}

/**
 * One POST, no retry (the caller schedules retries); redirects are not followed. The host is
 * resolved once and checked immediately before the request, which connects to exactly the
 * checked addresses (checkDestination, pinnedAgent).
 */
export async function postWebhook(input: {
  url: string;
  secret: string;
  eventId: string;
  body: string;
  now: Date;
  fetch: Fetch;
  /** Default: localWebhooksAllowed(). */
  allowLocal?: boolean;
  /** Default: dns.lookup (all addresses). */
  resolve?: ResolveHost;
  /** Default: WEBHOOK_TIMEOUT_MS. */
  timeoutMs?: number;
}): Promise<WebhookOutcome> {
  const timeoutMs = input.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  let agent: Agent | undefined;
  try {
    const destination = await checkDestination(
      input.url,
      input.allowLocal ?? localWebhooksAllowed(),
      input.resolve ?? resolveWithDns,
    );
    if (!destination.ok) return { ok: false, error: destination.error };
    agent = pinnedAgent(destination.addresses);
    const res = await input.fetch(destination.url, {
      dispatcher: agent,
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "KeyCenter-Webhooks/1",
        [SIGNATURE_HEADER]: signWebhookBody(input.body, input.secret),
        [TIMESTAMP_HEADER]: String(Math.floor(input.now.getTime() / 1000)),
        [EVENT_ID_HEADER]: input.eventId,
      },
      body: input.body,
    });
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, error: describeFetchError(e, timeoutMs) };
  } finally {
    await agent?.destroy().catch(() => {});
  }
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")) {
    return `No answer within ${timeoutMs / 1000} s`;
  }
  const cause = e instanceof Error ? ((e.cause ?? e) as { code?: string }) : undefined;
  return `Network error${typeof cause?.code === "string" ? `: ${cause.code}` : ""}`;
}
