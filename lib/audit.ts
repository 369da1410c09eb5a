import { createHash } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/db";

/** Who did it and from where; taken from the session and the request. */
export interface AuditActor {
  actorId?: string | null;
  actorEmail?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditInput extends AuditActor {
  action: string; // e.g. "auth.sign_in", "key.delete"
  orgId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  result?: "success" | "failure";
  /** Never a secret: counts, names, reasons. */
  details?: Prisma.InputJsonObject;
}

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted at every level: jsonb gives keys back in its own order. */
export function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonicalJson((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The canonical text a record's hash covers: every field, in a fixed order, details key-sorted. */
export function auditHashInput(
  prevHash: string,
  e: {
    at: Date;
    actorId: string | null;
    actorEmail: string | null;
    orgId: string | null;
    action: string;
    targetType: string | null;
    targetId: string | null;
    result: string;
    ip: string | null;
    userAgent: string | null;
    details: unknown;
  },
): string {
  return JSON.stringify([
    prevHash,
    e.at.toISOString(),
    e.actorId,
    e.actorEmail,
    e.orgId,
    e.action,
    e.targetType,
    e.targetId,
    e.result,
    e.ip,
    e.userAgent,
    canonicalJson(e.details),
  ]);
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Appends one audit record inside the caller's transaction, so the change and its record
 * commit or roll back together. A transaction-scoped advisory lock keeps the chain linear.
 */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(727002)`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const record = {
    at: new Date(),
    actorId: input.actorId ?? null,
    actorEmail: input.actorEmail ?? null,
    orgId: input.orgId ?? null,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    result: input.result ?? "success",
    ip: input.ip ?? null,
    userAgent: input.userAgent ?? null,
    details: input.details ?? {},
  };
  await tx.auditEvent.create({ data: { ...record, prevHash, hash: sha256Hex(auditHashInput(prevHash, record)) } });
}
