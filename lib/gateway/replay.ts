import { logger } from "@/lib/log";
import { gatewayDb } from "./db";

/**
 * Replay protection for JWTs (issue 12 §6): a token's `jti` is accepted once per key within the
 * token's lifetime. The state is the `seen_jtis` table, so every instance shares it: one
 * `INSERT … ON CONFLICT` decides atomically who saw a jti first (an expired row is taken over),
 * and expired rows are pruned about once a minute. Claims are group-committed like the
 * transaction rows (record.ts): concurrent requests share one statement.
 */
interface Claim {
  keyId: string;
  jti: string;
  expiresAt: Date;
  resolve: (fresh: boolean) => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 500;
const PRUNE_EVERY_MS = 60_000;

let collecting: Claim[] | null = null;
let written: Promise<void> = Promise.resolve();
let prunedAt = 0;

async function writeBatch(batch: Claim[]): Promise<void> {
  // The first claim of a (key, jti) in the batch goes to the database; later ones are replays.
  const first = new Map<string, Claim>();
  const repeats: Claim[] = [];
  for (const c of batch) {
    const k = `${c.keyId}\n${c.jti}`;
    if (first.has(k)) repeats.push(c);
    else first.set(k, c);
  }
  const claims = [...first.values()];
  const now = new Date();
  try {
    const fresh = await gatewayDb().$queryRaw<{ keyId: string; jti: string }[]>`
      INSERT INTO "seen_jtis" ("keyId", "jti", "expiresAt")
      SELECT * FROM unnest(${claims.map((c) => c.keyId)}::text[], ${claims.map((c) => c.jti)}::text[],
                           ${claims.map((c) => c.expiresAt.toISOString())}::timestamp[])
      ON CONFLICT ("keyId", "jti") DO UPDATE SET "expiresAt" = EXCLUDED."expiresAt"
        WHERE "seen_jtis"."expiresAt" < ${now.toISOString()}::timestamp
      RETURNING "keyId", "jti"`;
    const accepted = new Set(fresh.map((r) => `${r.keyId}\n${r.jti}`));
    for (const [k, c] of first) c.resolve(accepted.has(k));
    for (const c of repeats) c.resolve(false);
  } catch (e) {
    for (const c of batch) c.reject(e);
  }
  if (now.getTime() - prunedAt > PRUNE_EVERY_MS) {
    prunedAt = now.getTime();
    gatewayDb().$executeRaw`DELETE FROM "seen_jtis" WHERE "expiresAt" < ${now.toISOString()}::timestamp`.catch(
      (e: unknown) =>
        logger.warn({ error: e instanceof Error ? e.message : String(e) }, "gateway: pruning seen_jtis failed"),
    );
  }
}

/**
 * Records that `keyId` signed a token with `jti`, accepted until `expiresAt`. True when this is
 * the first time (within that lifetime); false for a replay. Rejects when the database fails.
 */
export function claimJti(keyId: string, jti: string, expiresAt: Date): Promise<boolean> {
  return new Promise((resolve, reject) => {
    if (!collecting || collecting.length >= MAX_BATCH) {
      const batch: Claim[] = [];
      collecting = batch;
      written = written.then(() => {
        if (collecting === batch) collecting = null;
        return writeBatch(batch);
      });
    }
    collecting.push({ keyId, jti, expiresAt, resolve, reject });
  });
}
