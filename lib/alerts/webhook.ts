import { createHmac, randomBytes } from "node:crypto";

/**
 * Org webhooks for expiry alerts (B2). Each POST carries the JSON event and
 *   X-KeyCenter-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the org's secret>
 *   X-KeyCenter-Timestamp: <unix seconds when sent> (the body's `sentAt` says the same, signed)
 *   X-KeyCenter-Event-Id: <the alert's ID: the same on every retry, for deduplication>
 * Receivers recompute the HMAC over the exact bytes received and compare in constant time.
 */
export const SIGNATURE_HEADER = "X-KeyCenter-Signature";
export const TIMESTAMP_HEADER = "X-KeyCenter-Timestamp";
export const EVENT_ID_HEADER = "X-KeyCenter-Event-Id";
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** The secret as shown once: `whsec_` + 32 random bytes, base64url. The HMAC key is this whole string (UTF-8). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** https only; plain http only to this machine (tests, local receivers). No credentials in the URL. */
export function checkWebhookUrl(raw: string): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: "Enter a full URL, such as https://hooks.example.com/keycenter." };
  }
  if (url.username || url.password) return { ok: false, message: "The URL must not contain a user name or password." };
  if (url.protocol === "https:" || (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname))) {
    url.hash = "";
    return { ok: true, url: url.toString() };
  }
  return { ok: false, message: "Use an https:// URL (plain http only to localhost or 127.0.0.1)." };
}

export type Fetch = typeof fetch;

export interface WebhookOutcome {
  ok: boolean;
  status?: number;
  /** Why it failed, fit for the database and the log: never the secret, never the response body. */
  error?: string;
}

/** One POST, no retry (the caller schedules retries); redirects are not followed. */
export async function postWebhook(input: {
  url: string;
  secret: string;
  eventId: string;
  body: string;
  now: Date;
  fetch: Fetch;
}): Promise<WebhookOutcome> {
  try {
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
  const cause = e instanceof Error ? (e.cause as { code?: string } | undefined) : undefined;
  return `Network error${cause?.code ? `: ${cause.code}` : ""}`;
}
