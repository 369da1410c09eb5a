import { logger } from "@/lib/log";
import { gatewayDb } from "./db";
import { groupCommit } from "./group-commit";

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
}

const PRUNE_EVERY_MS = 60_000;
let prunedAt = 0;

const claimKey = (c: Pick<Claim, "keyId" | "jti">) => `${c.keyId}\n${c.jti}`;

async function writeBatch(batch: Claim[]): Promise<boolean[]> {
  // The first claim of a (key, jti) in the batch goes to the database; later ones are replays.
  const first = new Map<string, number>();
  batch.forEach((c, i) => {
    if (!first.has(claimKey(c))) first.set(claimKey(c), i);
  });
  const claims = [...first.values()].map((i) => batch[i]!);
  const now = new Date();
  const fresh = await gatewayDb().$queryRaw<{ keyId: string; jti: string }[]>`
      INSERT INTO "seen_jtis" ("keyId", "jti", "expiresAt")
      SELECT * FROM unnest(${claims.map((c) => c.keyId)}::text[], ${claims.map((c) => c.jti)}::text[],
                           ${claims.map((c) => c.expiresAt.toISOString())}::timestamp[])
      ON CONFLICT ("keyId", "jti") DO UPDATE SET "expiresAt" = EXCLUDED."expiresAt"
        WHERE "seen_jtis"."expiresAt" < ${now.toISOString()}::timestamp
      RETURNING "keyId", "jti"`;
  const accepted = new Set(fresh.map(claimKey));
  if (now.getTime() - prunedAt > PRUNE_EVERY_MS) {
    prunedAt = now.getTime();
    gatewayDb().$executeRaw`DELETE FROM "seen_jtis" WHERE "expiresAt" < ${now.toISOString()}::timestamp`.catch(
      (e: unknown) =>
        logger.warn({ error: e instanceof Error ? e.message : String(e) }, "gateway: pruning seen_jtis failed"),
    );
  }
  return batch.map((c, i) => first.get(claimKey(c)) === i && accepted.has(claimKey(c)));
}

/**
 * Records that `keyId` signed a token with `jti`, accepted until `expiresAt`. True when this is
 * the first time (within that lifetime); false for a replay. Rejects when the database fails.
 */
const claim = groupCommit(writeBatch);
export function claimJti(keyId: string, jti: string, expiresAt: Date): Promise<boolean> {
  return claim({ keyId, jti, expiresAt });
}
