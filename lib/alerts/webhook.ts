import { createHmac, randomBytes } from "node:crypto";
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
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

/** Loopback, private, link-local, unspecified and carrier-grade NAT ranges: never a webhook's address in production. */
const NON_PUBLIC = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const) {
  NON_PUBLIC.addSubnet(net, bits, "ipv4");
}
NON_PUBLIC.addAddress("::", "ipv6");
NON_PUBLIC.addAddress("::1", "ipv6");
NON_PUBLIC.addSubnet("fc00::", 7, "ipv6");
NON_PUBLIC.addSubnet("fe80::", 10, "ipv6");

/** Whether an IP address (v4, v6 or v4-mapped v6) is not on the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return NON_PUBLIC.check(mapped, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return NON_PUBLIC.check(address, family === 4 ? "ipv4" : "ipv6");
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

/**
 * Right before sending: the URL is still acceptable and every address its host resolves to
 * is public (unless local webhooks are allowed). Says why not, or null when it may be sent.
 */
async function refuseDestination(raw: string, allowLocal: boolean): Promise<string | null> {
  const checked = checkWebhookUrl(raw, allowLocal);
  if (!checked.ok) return "The webhook URL is not allowed";
  if (allowLocal) return null;
  const host = new URL(checked.url).hostname.replace(/^\[(.*)\]$/, "$1");
  const addresses = await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0 || addresses.some((a) => isNonPublicAddress(a.address))) {
    return "The webhook's host is not a public address";
  }
  return null;
}

export type Fetch = typeof fetch;

export interface WebhookOutcome {
  ok: boolean;
  status?: number;
  /** Why it failed, fit for the database and the log: never the secret, never the response body. */
  error?: string;
}

/**
 * One POST, no retry (the caller schedules retries); redirects are not followed. The host is
 * resolved and checked (refuseDestination) immediately before the request.
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
}): Promise<WebhookOutcome> {
  try {
    const refused = await refuseDestination(input.url, input.allowLocal ?? localWebhooksAllowed());
    if (refused) return { ok: false, error: refused };
    const res = await input.fetch(input.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
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
    return { ok: false, error: describeFetchError(e) };
  }
}

function describeFetchError(e: unknown): string {
  if (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")) {
    return `No answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  }
  const cause = e instanceof Error ? ((e.cause ?? e) as { code?: string }) : undefined;
  return `Network error${typeof cause?.code === "string" ? `: ${cause.code}` : ""}`;
}
