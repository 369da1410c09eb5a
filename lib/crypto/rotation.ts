import { type AuditActor, recordAudit } from "@/lib/audit";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { currentKeyVersion, resealSecret, sealedVersion } from "./secrets";

/**
 * Master-key rotation (`npm run master-key:rotate`): every sealed value is re-sealed under the
 * current master key (KEYCENTER_MASTER_KEY, version KEYCENTER_MASTER_KEY_VERSION) while
 * KeyCenter runs. The blob's first byte names the master key that sealed it, so what is left
 * under older keys is a query (`get_byte(col, 0) <> current`): the rotation is resumable after a
 * crash and idempotent by construction, and each write is a compare-and-set on the old blob, so
 * a value the app changed meanwhile is never overwritten (the next run looks at it again).
 *
 * Secrets and plaintexts are never logged, returned or audited: only names and counts.
 */

/** One sealed column. A new sealed column is one more entry in SEALED_COLUMNS. */
export interface SealedColumn {
  /** What the values are, in words (progress, audit record). */
  name: string;
  table: string;
  /** The primary key column (text). */
  id: string;
  /** The sealed blob's column (bytea; null when unset). */
  blob: string;
  /** A column recording the master-key version of the blob, updated with it. */
  version?: string;
  /** Further columns the AAD context is built from. */
  columns?: string[];
  /** The AAD the value was sealed with, as its writer builds it. */
  context(row: Record<string, unknown>): string;
}

/**
 * Every sealed value of the database, with the AAD context its writer binds (kept in step with
 * lib/keys/creators.ts, lib/crypto/environment.ts credentialSealContext, lib/auth/mfa.ts and
 * lib/alerts/webhook.ts webhookSecretContext: a wrong context fails the rotation loudly,
 * since GCM refuses to open the value).
 */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  {
    name: "key secrets (REST shared secrets, Secure Acceptance secret keys)",
    table: "keys",
    id: "id",
    blob: "secretCiphertext",
    version: "secretKeyVersion",
    context: (row) => String(row.id),
  },
  {
    name: "CA and gateway MLE private keys",
    table: "environment_credentials",
    id: "id",
    blob: "privateKeyCiphertext",
    version: "keyVersion",
    columns: ["environment", "kind"],
    context: (row) => `env-credential:${String(row.environment)}:${String(row.kind)}`,
  },
  {
    name: "TOTP secrets",
    table: "users",
    id: "id",
    blob: "totpSecret",
    context: (row) => `totp:${String(row.id)}`,
  },
  {
    name: "webhook secrets",
    table: "org_settings",
    id: "orgId",
    blob: "webhookSecret",
    context: (row) => `webhook:${String(row.orgId)}`,
  },
];

export interface SourceProgress {
  name: string;
  table: string;
  /** Values re-sealed under the current key by this run. */
  resealed: number;
  /** Values the app changed between this run's read and its write (left for the next run). */
  changedMeanwhile: number;
  /** Values still sealed under an older key (after this run). */
  left: number;
}

export interface RotationResult {
  version: number;
  sources: SourceProgress[];
  resealed: number;
  left: number;
  /** False when stopped by maxRows before every source was gone through. */
  complete: boolean;
  ms: number;
}

const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

function currentVersion(): number {
  const version = currentKeyVersion();
  if (!Number.isInteger(version) || version < 1 || version > 255) {
    throw new Error("KEYCENTER_MASTER_KEY_VERSION must be a whole number from 1 to 255");
  }
  return version;
}

/** The values of one source sealed under a key other than `version`, by the version that sealed them. */
async function olderVersions(db: PrismaClient, source: SealedColumn, version: number): Promise<Map<number, number>> {
  const rows = await db.$queryRawUnsafe<{ v: number; n: bigint }[]>(
    `SELECT get_byte(${q(source.blob)}, 0) AS v, count(*) AS n FROM ${q(source.table)}
     WHERE ${q(source.blob)} IS NOT NULL AND get_byte(${q(source.blob)}, 0) <> $1::int GROUP BY 1`,
    version,
  );
  return new Map(rows.map((r) => [Number(r.v), Number(r.n)]));
}

export interface OlderCount {
  name: string;
  table: string;
  /** By the master-key version that sealed them. */
  byVersion: Record<number, number>;
  left: number;
}

/** What is left under older master keys, per sealed column: 0 everywhere means the previous keys can be dropped. */
export async function countOlder(db: PrismaClient): Promise<{ version: number; sources: OlderCount[]; left: number }> {
  const version = currentVersion();
  const sources: OlderCount[] = [];
  for (const source of SEALED_COLUMNS) {
    const byVersion = Object.fromEntries(await olderVersions(db, source, version));
    const left = Object.values(byVersion).reduce((a, b) => a + b, 0);
    sources.push({ name: source.name, table: source.table, byVersion, left });
  }
  return { version, sources, left: sources.reduce((a, s) => a + s.left, 0) };
}

export interface RotateOptions {
  db: PrismaClient;
  /** Rows read and re-sealed per round trip. */
  batchSize?: number;
  /** Stop after this many values (a test's crash part-way); the next run resumes. */
  maxRows?: number;
  /** Called after each batch (awaited); counts only. */
  onProgress?: (p: SourceProgress) => void | Promise<void>;
  /** Who runs it, for the audit record. */
  actor?: AuditActor;
}

/**
 * Re-seals, source by source, every value sealed under an older master key. Reads go by id
 * (keyset), so each row is looked at once per run, and every write is
 * `UPDATE … SET blob = new WHERE id = $id AND blob = old`. One audit record per run
 * (`system.master_key_rotate`, counts only), also when it fails.
 */
export async function rotateMasterKey(options: RotateOptions): Promise<RotationResult> {
  const { db, batchSize = 100, maxRows = Infinity, onProgress, actor } = options;
  const version = currentVersion();
  const started = performance.now();
  const sources: SourceProgress[] = SEALED_COLUMNS.map((c) => ({
    name: c.name,
    table: c.table,
    resealed: 0,
    changedMeanwhile: 0,
    left: 0,
  }));
  let budget = maxRows;
  let failure: unknown = null;
  try {
    for (const [i, source] of SEALED_COLUMNS.entries()) {
      const progress = sources[i]!;
      const extra = (source.columns ?? []).map((c) => `, ${q(c)}`).join("");
      let after = "";
      while (budget > 0) {
        const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
          `SELECT ${q(source.id)} AS id, ${q(source.blob)} AS blob${extra} FROM ${q(source.table)}
           WHERE ${q(source.blob)} IS NOT NULL AND get_byte(${q(source.blob)}, 0) <> $1::int AND ${q(source.id)} > $2::text
           ORDER BY ${q(source.id)} LIMIT $3::int`,
          version,
          after,
          Math.min(batchSize, budget),
        );
        if (rows.length === 0) break;
        after = String(rows[rows.length - 1]!.id);
        budget -= rows.length;
        const written = await Promise.all(
          rows.map((row) => {
            const old = row.blob as Uint8Array;
            const context = source.context({ ...row, [source.id]: row.id });
            let sealed: Buffer;
            try {
              sealed = resealSecret(old, context);
            } catch {
              throw new Error(
                `${source.table} ${String(row.id)}: its ${source.blob} (master key version ${sealedVersion(old)}) ` +
                  "does not open with the configured keys: is that version's key in KEYCENTER_MASTER_KEYS_PREVIOUS?",
              );
            }
            const setVersion = source.version ? `, ${q(source.version)} = $4::int` : "";
            return db.$executeRawUnsafe(
              `UPDATE ${q(source.table)} SET ${q(source.blob)} = $1::bytea${setVersion}
               WHERE ${q(source.id)} = $2::text AND ${q(source.blob)} = $3::bytea`,
              new Uint8Array(sealed),
              row.id,
              old,
              ...(source.version ? [version] : []),
            );
          }),
        );
        for (const n of written) {
          if (n === 1) progress.resealed++;
          else progress.changedMeanwhile++;
        }
        await onProgress?.({ ...progress });
      }
    }
  } catch (e) {
    failure = e;
  }
  const older = await countOlder(db);
  sources.forEach((s, i) => (s.left = older.sources[i]!.left));
  const result: RotationResult = {
    version,
    sources,
    resealed: sources.reduce((a, s) => a + s.resealed, 0),
    left: older.left,
    complete: failure === null && (budget > 0 || older.left === 0),
    ms: Math.round(performance.now() - started),
  };
  await db.$transaction((tx) =>
    recordAudit(tx, {
      ...actor,
      action: "system.master_key_rotate",
      targetType: "master_key",
      targetId: String(version),
      result: failure ? "failure" : "success",
      details: {
        version,
        resealed: result.resealed,
        left: result.left,
        complete: result.complete,
        ms: result.ms,
        sources: sources.map((s) => ({ table: s.table, resealed: s.resealed, changedMeanwhile: s.changedMeanwhile, left: s.left })),
        ...(failure ? { error: failure instanceof Error ? failure.message : String(failure) } : {}),
      },
    }),
  );
  if (failure) throw failure;
  return result;
}
