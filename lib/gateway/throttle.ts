import { consumeLimit } from "@/lib/rate-limit";

/**
 * Unauthenticated gateway failures per client address (issue 12 §3/§5), on the shared limit
 * `gateway.ip` (lib/rate-limit.ts, PostgreSQL). The hot path stays lean: a request costs a
 * limiter call only when it failed to authenticate. Once the shared limit says an address is
 * over, this process remembers it until the window ends and answers that address's next
 * requests 429 before any key lookup or crypto; another instance learns it at that address's
 * next failure there.
 *
 * A request whose address is unknown (no trusted proxy named it) still counts, under one
 * shared "unknown" key, but only its failures are answered 429: a shared bucket must not lock
 * every caller without an address out of the gateway.
 */
const UNKNOWN = "unknown";
const MAX_REMEMBERED = 10_000;

/** Address → the time (ms) its window ends. */
const limited = new Map<string, number>();

export type Throttle = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Is `address` known here to be over the limit? No I/O. */
export function throttled(address: string | null | undefined, now = Date.now()): Throttle {
  if (!address) return { ok: true };
  const until = limited.get(address);
  if (until === undefined) return { ok: true };
  if (until <= now) {
    limited.delete(address);
    return { ok: true };
  }
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
}

/** Counts one unauthenticated failure of `address`; says whether it is over the limit now. */
export async function countFailure(address: string | null | undefined, now = Date.now()): Promise<Throttle> {
  const result = await consumeLimit("gateway.ip", address || UNKNOWN);
  if (!result.ok && address) {
    if (limited.size >= MAX_REMEMBERED) {
      for (const [a, until] of limited) if (until <= now) limited.delete(a);
      if (limited.size >= MAX_REMEMBERED) limited.clear();
    }
    limited.set(address, now + result.retryAfterSeconds * 1000);
  }
  return result;
}

/** Tests: forget which addresses this process saw over the limit. */
export function forgetThrottled(): void {
  limited.clear();
}
