import { randomInt } from "node:crypto";
import type { Environment } from "@/lib/generated/prisma/enums";
import type { AuthResult } from "./authenticate";
import { gatewayDb } from "./db";

/**
 * Writes gateway_transactions rows (G5) and key use (lastUsedAt, useCount) with group commit:
 * each request joins the batch being collected and its promise settles once that batch is
 * written — one statement (and one commit) per batch, batches one after the other. Alone, a
 * request waits for one statement; under load, hundreds of rows share one commit and the hot
 * key row has one writer instead of a queue of row locks. A request is answered only after
 * its row is in the database.
 */
export interface TransactionRecord {
  id: string;
  at: Date;
  environment: Environment;
  merchantId: string;
  keyId: string | null;
  metaKeyOwner: string | null;
  authType: string;
  httpStatus: number;
  status: string;
  reason: string | null;
  amount: string | null;
  currency: string | null;
  /** The key authenticated the request: count the use. */
  keyUsed: boolean;
}

/** Rows per statement at most; more wait for the next batch. */
const MAX_BATCH = 500;

let collecting: TransactionRecord[] | null = null;
let collected: Promise<void> = Promise.resolve();
let written: Promise<void> = Promise.resolve();

async function writeBatch(rows: TransactionRecord[]): Promise<void> {
  const col = <T>(f: (r: TransactionRecord) => T) => rows.map(f);
  const uses = new Map<string, { uses: number; at: Date }>();
  for (const r of rows) {
    if (!r.keyUsed || !r.keyId) continue;
    const u = uses.get(r.keyId);
    if (u) {
      u.uses += 1;
      if (r.at > u.at) u.at = r.at;
    } else uses.set(r.keyId, { uses: 1, at: r.at });
  }
  const keyIds = [...uses.keys()];
  await gatewayDb().$executeRaw`
    WITH ins AS (
      INSERT INTO "gateway_transactions"
        ("id", "at", "environment", "merchantId", "keyId", "metaKeyOwner", "authType", "applications",
         "httpStatus", "status", "reason", "amount", "currency")
      SELECT t.id, t.at, t.environment::"Environment", t."merchantId", t."keyId", t."metaKeyOwner", t."authType",
             ARRAY['authorization'], t."httpStatus", t.status, t.reason, t.amount, t.currency
        FROM unnest(${col((r) => r.id)}::text[], ${col((r) => r.at.toISOString())}::timestamp[],
                    ${col((r) => r.environment)}::text[], ${col((r) => r.merchantId)}::text[],
                    ${col((r) => r.keyId)}::text[], ${col((r) => r.metaKeyOwner)}::text[],
                    ${col((r) => r.authType)}::text[], ${col((r) => r.httpStatus)}::int[],
                    ${col((r) => r.status)}::text[], ${col((r) => r.reason)}::text[],
                    ${col((r) => r.amount)}::text[], ${col((r) => r.currency)}::text[])
          AS t(id, at, environment, "merchantId", "keyId", "metaKeyOwner", "authType", "httpStatus",
               status, reason, amount, currency)
      RETURNING 1)
    UPDATE "keys" k SET "useCount" = k."useCount" + u.uses,
           "lastUsedAt" = GREATEST(COALESCE(k."lastUsedAt", u.at), u.at)
      FROM unnest(${keyIds}::text[], ${keyIds.map((id) => uses.get(id)!.uses)}::int[],
                  ${keyIds.map((id) => uses.get(id)!.at.toISOString())}::timestamp[]) AS u(id, uses, at)
     WHERE k."id" = u.id AND (SELECT count(*) FROM ins) > 0`;
}

/** Records one request; resolves once its row is written (rejects if the batch failed). */
export function recordTransaction(row: TransactionRecord): Promise<void> {
  if (!collecting || collecting.length >= MAX_BATCH) {
    const batch: TransactionRecord[] = [];
    collecting = batch;
    collected = written.then(() => {
      if (collecting === batch) collecting = null;
      return writeBatch(batch);
    });
    written = collected.catch(() => undefined);
  }
  collecting.push(row);
  return collected;
}

/** A 22-digit request ID, like Cybersource's: milliseconds, then nine random digits. */
export function newRequestId(now = Date.now()): string {
  return `${now}`.padStart(13, "0") + `${randomInt(0, 1_000_000_000)}`.padStart(9, "0");
}

/** One request's outcome, as the REST and Simple Order handlers know it. */
export interface RequestOutcome {
  id: string;
  at: Date;
  environment: Environment;
  /** How the request authenticated; null when it was refused before authentication. */
  auth: AuthResult | null;
  httpStatus: number;
  status: string;
  reason: string | null;
  amount?: string | null;
  currency?: string | null;
}

/** The transaction row of one request, and for an authenticated request the key's use. */
export function recordRequest(o: RequestOutcome): Promise<void> {
  return recordTransaction({
    id: o.id,
    at: o.at,
    environment: o.environment,
    merchantId: o.auth?.merchantId ?? "",
    keyId: o.auth?.keyId ?? null,
    metaKeyOwner: o.auth?.metaKeyOwner ?? null,
    authType: o.auth?.authType ?? "none",
    httpStatus: o.httpStatus,
    status: o.status,
    reason: o.reason,
    amount: o.amount ?? null,
    currency: o.currency ?? null,
    keyUsed: o.auth?.ok === true,
  });
}
