import { createHash, randomBytes } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import { AppError } from "@/lib/errors";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { openSecret, sealSecret } from "@/lib/crypto/secrets";
import { prisma } from "@/lib/db";
import { mayActFor, type OrgRef } from "@/lib/orgs/hierarchy";

/**
 * The second factor (A2): TOTP (RFC 6238, 6 digits, 30 s, one step of clock drift either
 * way, each code accepted once) and ten one-time recovery codes kept as SHA-256 hashes.
 * The TOTP secret is sealed at rest with the context `totp:<userId>` and never logged.
 */
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = "KeyCenter";
const context = (userId: string) => `totp:${userId}`;

export type Actor = AuditActor & { actorId: string; actorEmail: string };

export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(normalizeRecoveryCode(code)).digest("hex");
}

/** Separators and case do not matter; an "o" is read as the zero it looks like (the alphabet has no "o"). */
function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, "").toLowerCase().replace(/o/g, "0");
}

/** 32 characters that cannot be mistaken for one another (no i, l, o, 1): 5 bits each. */
export const RECOVERY_CODE_ALPHABET = "0abcdefghjkmnpqrstuvwxyz23456789";

/**
 * 80 random bits as four groups of four base-32 characters: "k7qd-m2xa-9fpz-w30c". Each
 * character is 5 bits taken straight from the random bytes: no modulo, so no bias.
 */
export function newRecoveryCode(): string {
  let bits = 0n;
  for (const b of randomBytes(10)) bits = (bits << 8n) | BigInt(b);
  let chars = "";
  for (let i = 15; i >= 0; i--) chars += RECOVERY_CODE_ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)];
  return chars.match(/.{4}/g)!.join("-");
}

export interface Enrollment {
  /** For typing into an authenticator app by hand; shown once, never stored in the clear. */
  secret: string;
  /** The otpauth:// URI as a QR code (PNG data URL). */
  qrDataUrl: string;
}

/** Starts (or restarts) enrollment: a new secret, sealed on the user, not in force until confirmed. */
export async function startEnrollment(user: { id: string; email: string }): Promise<Enrollment> {
  const current = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
  if (current.twoFactorEnabled) throw new AppError("ALREADY_ENROLLED", "Two-step verification is on already.");
  const secret = generateSecret();
  await prisma.user.update({
    where: { id: user.id },
    data: { totpSecret: new Uint8Array(sealSecret(secret, context(user.id))), totpLastStep: null },
  });
  const uri = generateURI({ issuer: ISSUER, label: user.email, secret });
  return { secret, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 200 }) };
}

/** Checks a TOTP code against the user's sealed secret; on success remembers its time step. */
async function checkTotp(
  user: { id: string; totpSecret: Uint8Array | null; totpLastStep: number | null },
  code: string,
) {
  if (!user.totpSecret || !/^\d{6}$/.test(code)) return false;
  const secret = openSecret(user.totpSecret, context(user.id)).toString("utf8");
  const r = await verify({
    secret,
    token: code,
    epochTolerance: 30,
    ...(user.totpLastStep !== null ? { afterTimeStep: user.totpLastStep } : {}),
  });
  if (!r.valid || !("timeStep" in r)) return false;
  // Compare-and-set: two requests racing with the same code cannot both win.
  const won = await prisma.user.updateMany({
    where: {
      id: user.id,
      OR: [{ totpLastStep: null }, { totpLastStep: { lt: r.timeStep } }],
    },
    data: { totpLastStep: r.timeStep },
  });
  return won.count === 1;
}

/**
 * Confirms enrollment with a current code: two-step verification is on from now, and the
 * ten recovery codes are returned (to show once). Audited.
 */
export async function confirmEnrollment(input: { actor: Actor; orgId: string; code: string }): Promise<string[]> {
  const user = await prisma.user.findUniqueOrThrow({ where: { id: input.actor.actorId } });
  if (user.twoFactorEnabled) throw new AppError("ALREADY_ENROLLED", "Two-step verification is on already.");
  if (!user.totpSecret) throw new AppError("NOT_STARTED", "Start again: set up an authenticator app first.");
  if (!(await checkTotp(user, input.code.trim()))) {
    await prisma.$transaction((tx) =>
      recordAudit(tx, { ...input.actor, orgId: input.orgId, action: "auth.mfa_enroll", result: "failure" }),
    );
    throw new AppError("INVALID_CODE", "That code is not correct. Enter the current code from your app.", {
      code: "That code is not correct. Enter the current code from your app.",
    });
  }
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { twoFactorEnabled: true } });
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await tx.recoveryCode.createMany({
      data: codes.map((c) => ({ userId: user.id, codeHash: hashRecoveryCode(c) })),
    });
    await recordAudit(tx, {
      ...input.actor,
      orgId: input.orgId,
      action: "auth.mfa_enroll",
      targetType: "user",
      targetId: user.id,
      details: { recoveryCodes: RECOVERY_CODE_COUNT },
    });
  });
  return codes;
}

/**
 * Checks a second factor: a current TOTP code, or an unused recovery code (used up by
 * this call). Returns what matched, or null. Does not audit; callers do, with their context.
 */
export async function checkSecondFactor(userId: string, raw: string): Promise<"totp" | "recovery_code" | null> {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user?.twoFactorEnabled) return null;
  const code = raw.trim();
  if (/^\d{6}$/.test(code)) return (await checkTotp(user, code)) ? "totp" : null;
  if (normalizeRecoveryCode(code).length !== 16) return null;
  const used = await prisma.recoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(code), usedAt: null },
    data: { usedAt: new Date() },
  });
  return used.count === 1 ? "recovery_code" : null;
}

export async function mfaStatus(userId: string) {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { twoFactorEnabled: true, _count: { select: { recoveryCodes: { where: { usedAt: null } } } } },
  });
  return { enabled: user.twoFactorEnabled, recoveryCodesLeft: user._count.recoveryCodes };
}

/**
 * An administrator turns a person's second factor off (lost phone): secret and recovery
 * codes are gone; the person enrolls again (at once, when their org requires it). Audited.
 */
export async function resetSecondFactor(input: { actor: Actor; userOrg: OrgRef; userId: string }): Promise<void> {
  const user = await prisma.user.findUnique({ where: { id: input.userId }, include: { org: true } });
  if (!user || !mayActFor(input.userOrg, user.org)) throw new AppError("NOT_FOUND", "No such user.");
  await prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { twoFactorEnabled: false, totpSecret: null, totpLastStep: null },
    });
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, {
      ...input.actor,
      orgId: user.orgId,
      action: "auth.mfa_reset",
      targetType: "user",
      targetId: user.id,
      details: { email: user.email, wasEnabled: user.twoFactorEnabled },
    });
  });
}
