import { randomInt } from "node:crypto";
import type { Environment } from "@/lib/generated/prisma/enums";
import type { AuthResult } from "./authenticate";
import { gatewayQuery } from "./db";
import { groupCommit } from "./group-commit";
import { capText, MAX_ID_CHARS } from "./input";

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
  /** Whose Transactions show the row; null: nobody's (a request that named no real key). */
  merchantId: string | null;
  keyId: string | null;
  metaKeyOwner: string | null;
  authType: string;
  applications: readonly string[];
  httpStatus: number;
  status: string;
  reason: string | null;
  amount: string | null;
  currency: string | null;
  /** The key authenticated the request: count the use. */
  keyUsed: boolean;
}

/** The longest text each column keeps: callers choose much of it. */
const CAPS = { id: 64, authType: 32, status: 32, reason: 500, amount: 32, currency: 8 } as const;

/** Every text field capped and cleaned (no NUL, no lone surrogate reaches PostgreSQL). */
function capped(r: TransactionRecord): TransactionRecord {
  return {
    ...r,
    id: capText(r.id, CAPS.id),
    merchantId: capText(r.merchantId, MAX_ID_CHARS),
    keyId: capText(r.keyId, MAX_ID_CHARS),
    metaKeyOwner: capText(r.metaKeyOwner, MAX_ID_CHARS),
    authType: capText(r.authType, CAPS.authType),
    status: capText(r.status, CAPS.status),
    reason: capText(r.reason, CAPS.reason),
    amount: capText(r.amount, CAPS.amount),
    currency: capText(r.currency, CAPS.currency),
  };
}

/**
 * One batch: its rows (one array per column; applications as a comma-separated list) and the
 * use of each key, in one statement sent as a named prepared statement on the gateway's driver
 * pool (Prisma's fixed cost per statement was the larger part of a batch of ten).
 */
const WRITE_BATCH_SQL = `
  WITH ins AS (
    INSERT INTO "gateway_transactions"
      ("id", "at", "environment", "merchantId", "keyId", "metaKeyOwner", "authType", "applications",
       "httpStatus", "status", "reason", "amount", "currency")
    SELECT t.id, t.at, t.environment::"Environment", t."merchantId", t."keyId", t."metaKeyOwner", t."authType",
           string_to_array(t.applications, ','), t."httpStatus", t.status, t.reason, t.amount, t.currency
      FROM unnest($1::text[], $2::timestamp[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                  $8::int[], $9::text[], $10::text[], $11::text[], $12::text[], $16::text[])
        AS t(id, at, environment, "merchantId", "keyId", "metaKeyOwner", "authType", "httpStatus",
             status, reason, amount, currency, applications)
    RETURNING 1)
  UPDATE "keys" k SET "useCount" = k."useCount" + u.uses,
         "lastUsedAt" = GREATEST(COALESCE(k."lastUsedAt", u.at), u.at)
    FROM unnest($13::text[], $14::int[], $15::timestamp[]) AS u(id, uses, at)
   WHERE k."id" = u.id AND (SELECT count(*) FROM ins) > 0`;

async function writeBatch(batch: TransactionRecord[]): Promise<void[]> {
  const rows = batch.map(capped);
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
  await gatewayQuery(WRITE_BATCH_SQL, [
    col((r) => r.id),
    col((r) => r.at.toISOString()),
    col((r) => r.environment),
    col((r) => r.merchantId),
    col((r) => r.keyId),
    col((r) => r.metaKeyOwner),
    col((r) => r.authType),
    col((r) => r.httpStatus),
    col((r) => r.status),
    col((r) => r.reason),
    col((r) => r.amount),
    col((r) => r.currency),
    keyIds,
    keyIds.map((id) => uses.get(id)!.uses),
    keyIds.map((id) => uses.get(id)!.at.toISOString()),
    col((r) => r.applications.join(",")),
  ]);
  return batch.map(() => undefined);
}

/** Records one request; resolves once its row is written (rejects if the batch failed). */
export const recordTransaction: (row: TransactionRecord) => Promise<void> = groupCommit(writeBatch);

/** A 22-digit request ID, like Cybersource's: milliseconds, then nine random digits. */
export function newRequestId(now = Date.now()): string {
  return `${now}`.padStart(13, "0") + `${randomInt(0, 1_000_000_000)}`.padStart(9, "0");
}

/** Which request a row is of (the pipeline's Exchange has these). */
export interface RequestStamp {
  id: string;
  at: Date;
  environment: Environment;
}

/** What a row says of one request's outcome, besides who sent it. */
export interface RowOutcome {
  httpStatus: number;
  status: string;
  reason: string | null;
  amount?: string | null;
  currency?: string | null;
  /** Default: authorization (REST, Simple Order); Secure Acceptance names sale or authorization. */
  applications?: readonly string[];
}

const AUTHORIZATION: readonly string[] = ["authorization"];

/**
 * The transaction row of one request, and for an authenticated request the key's use
 * (`auth`: how the request authenticated; null when it was refused before authentication). A
 * refusal is shown only to its tenant (authenticate.ts `attribution`): the org whose real key
 * it named; one that named no real key is written without merchant (visible to no one; the
 * pipeline's log line says so with `tenant: null`).
 */
export function recordRequest(request: RequestStamp, auth: AuthResult | null, outcome: RowOutcome): Promise<void> {
  return recordTransaction({
    id: request.id,
    at: request.at,
    environment: request.environment,
    merchantId: auth ? (auth.ok ? auth.merchantId : auth.tenant) : null,
    keyId: auth?.keyId ?? null,
    metaKeyOwner: auth?.metaKeyOwner ?? null,
    authType: auth?.authType ?? "none",
    applications: outcome.applications ?? AUTHORIZATION,
    httpStatus: outcome.httpStatus,
    status: outcome.status,
    reason: outcome.reason,
    amount: outcome.amount ?? null,
    currency: outcome.currency ?? null,
    keyUsed: auth?.ok === true,
  });
}
