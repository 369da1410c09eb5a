import { createHash } from "node:crypto";
import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { pool } from "@/lib/db";
import { logger } from "@/lib/log";

/**
 * Rate limits that every instance shares: the counters live in PostgreSQL (`rate_limits`,
 * rate-limiter-flexible's PostgreSQL store on the app's driver pool), never in process memory,
 * so N instances behind a load balancer allow what one would. Each limit is a fixed window:
 * `points` events per `durationSeconds` per key; the window starts at a key's first event.
 *
 * When the store fails (the table is unreadable, the database is briefly unreachable) the
 * error is logged and the same limit is counted in this process's memory instead: neither
 * fail-closed (a broken table would lock everyone out of signing in) nor unlimited. The account
 * lockout (lib/auth/sign-in.ts, in the users table) holds independently of these limits.
 */
export type LimitName =
  | "signIn.account"
  | "signIn.ip"
  | "secondFactor.account"
  | "secondFactor.ip"
  | "stepUp.account"
  | "gateway.ip"
  | "kms.key";

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface LimitRule {
  points: number;
  durationSeconds: number;
}

/**
 * The defaults. Sign-in and second-factor attempts are counted before the secret is checked; a
 * successful one gives its per-address point back (`refundLimit`) and clears its per-account
 * count (`resetLimit`), so a busy office behind one address is limited by its failures only.
 */
export const DEFAULT_LIMITS: Readonly<Record<LimitName, LimitRule>> = {
  "signIn.account": { points: 10, durationSeconds: 15 * 60 },
  "signIn.ip": { points: 50, durationSeconds: 15 * 60 },
  "secondFactor.account": { points: 10, durationSeconds: 15 * 60 },
  "secondFactor.ip": { points: 50, durationSeconds: 15 * 60 },
  "stepUp.account": { points: 10, durationSeconds: 15 * 60 },
  /** Unauthenticated gateway failures (bad or missing signature, unknown key) per client address. */
  "gateway.ip": { points: 60, durationSeconds: 60 },
  /** Authenticated Key Management API requests (lib/kms) per key. */
  "kms.key": { points: 300, durationSeconds: 60 },
};

const TABLE = "rate_limits";
const NAMES = Object.keys(DEFAULT_LIMITS) as LimitName[];

/**
 * `KEYCENTER_RATE_LIMITS` overrides limits without a code change, e.g.
 * `signIn.ip=200/900,gateway.ip=120/60` (points/seconds per window).
 */
function rulesFromEnv(value: string | undefined): Partial<Record<LimitName, LimitRule>> {
  const rules: Partial<Record<LimitName, LimitRule>> = {};
  for (const part of (value ?? "").split(",")) {
    const m = /^\s*([\w.]+)\s*=\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(part);
    if (!m) {
      if (part.trim()) logger.warn({ part }, "rate limits: KEYCENTER_RATE_LIMITS entry ignored");
      continue;
    }
    const name = m[1] as LimitName;
    if (!NAMES.includes(name) || Number(m[2]) < 1 || Number(m[3]) < 1) {
      logger.warn({ part }, "rate limits: KEYCENTER_RATE_LIMITS entry ignored");
      continue;
    }
    rules[name] = { points: Number(m[2]), durationSeconds: Number(m[3]) };
  }
  return rules;
}

interface Limiter {
  store: RateLimiterPostgres;
  /** Used only while the store fails. */
  fallback: RateLimiterMemory;
}

/**
 * The store's queries go to the pool unnamed: on the embedded database (one PGlite backend
 * behind every socket connection) a named statement outlives its pooled connection and
 * collides with the next one's (see lib/gateway/db.ts).
 */
function storeClient(p: pg.Pool) {
  return { query: (q: { text: string; values?: unknown[] }) => p.query({ text: q.text, values: q.values }) };
}

function createLimiter(name: LimitName, rule: LimitRule, p: pg.Pool, prune: boolean): Limiter {
  const opts = { keyPrefix: name, points: rule.points, duration: rule.durationSeconds };
  return {
    store: new RateLimiterPostgres({
      ...opts,
      storeClient: storeClient(p),
      storeType: "pool",
      tableName: TABLE,
      tableCreated: true, // by prisma/migrations/20261201150000_rate_limits
      clearExpiredByTimeout: prune, // one limiter prunes the shared table (rows expired an hour ago)
    }),
    fallback: new RateLimiterMemory(opts),
  };
}

/** The limiters of one app instance; `createLimits` makes another (tests simulate instances). */
export interface Limits {
  consume(name: LimitName, key: string): Promise<LimitResult>;
  refund(name: LimitName, key: string): Promise<void>;
  reset(name: LimitName, key: string): Promise<void>;
}

export function createLimits(
  opts: { pool?: pg.Pool; rules?: Partial<Record<LimitName, LimitRule>> } = {},
): Limits {
  const rules = { ...DEFAULT_LIMITS, ...rulesFromEnv(process.env.KEYCENTER_RATE_LIMITS), ...opts.rules };
  const p = opts.pool ?? pool;
  const limiters = new Map<LimitName, Limiter>();
  const limiter = (name: LimitName): Limiter => {
    let l = limiters.get(name);
    if (!l) {
      // The first limiter made (they are made on first use) prunes the table they share.
      l = createLimiter(name, rules[name], p, limiters.size === 0);
      limiters.set(name, l);
    }
    return l;
  };
  const storeFailed = (name: LimitName, op: string, err: unknown) =>
    logger.error(
      { limit: name, op, err: err instanceof Error ? err.message : String(err) },
      "rate limits: the shared store failed; counting in this process instead",
    );

  return {
    async consume(name, key) {
      const l = limiter(name);
      const k = storeKey(key);
      try {
        await l.store.consume(k);
        return { ok: true };
      } catch (e) {
        if (e instanceof RateLimiterRes) return limited(e);
        storeFailed(name, "consume", e);
      }
      try {
        await l.fallback.consume(k);
        return { ok: true };
      } catch (e) {
        if (e instanceof RateLimiterRes) return limited(e);
        return { ok: true };
      }
    },
    async refund(name, key) {
      const l = limiter(name);
      const k = storeKey(key);
      await l.store.reward(k, 1).catch((e: unknown) => storeFailed(name, "refund", e));
      await l.fallback.reward(k, 1).catch(() => {});
    },
    async reset(name, key) {
      const l = limiter(name);
      const k = storeKey(key);
      await l.store.delete(k).catch((e: unknown) => storeFailed(name, "reset", e));
      await l.fallback.delete(k).catch(() => {});
    },
  };
}

function limited(res: RateLimiterRes): LimitResult {
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/**
 * Keys as stored: readable when short printable ASCII (an address, a user ID, an email),
 * otherwise a SHA-256 digest (the column holds 255 characters; PostgreSQL text holds no NUL).
 */
function storeKey(key: string): string {
  return /^[\x21-\x7e]{1,200}$/.test(key) ? key : `sha256:${createHash("sha256").update(key).digest("hex")}`;
}

let instance: Limits | null = null;
const limits = () => (instance ??= createLimits());

/** Counts one event for `key` under `name`; { ok: true } or { ok: false, retryAfterSeconds }. Never throws. */
export function consumeLimit(name: LimitName, key: string): Promise<LimitResult> {
  return limits().consume(name, key);
}

/** Gives back one event counted for `key` (e.g. a sign-in attempt that succeeded). Never throws. */
export function refundLimit(name: LimitName, key: string): Promise<void> {
  return limits().refund(name, key);
}

/** Clears the counter (e.g. after a successful sign-in). Never throws. */
export function resetLimit(name: LimitName, key: string): Promise<void> {
  return limits().reset(name, key);
}

/** Tests: the limits this process uses from now on (`null`: the defaults again). */
export function setLimitsForTests(next: Limits | null): void {
  instance = next;
}

/** What a person sees when limited. */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
