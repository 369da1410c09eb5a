import { APIError } from "better-auth/api";
import { prisma } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { getAuth } from "./auth";
import { checkSecondFactor } from "./mfa";
import { verifyPassword } from "./password";
import type { PortalSession } from "./session";

export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MINUTES = 15;

/** A session whose password was right waits this long, at most, for its second factor. */
export const SECOND_FACTOR_MINUTES = 10;

export type SignInOutcome =
  /**
   * `setCookie`: the session cookie, for callers outside Next.js (tests); in an action the plugin sets it.
   * `secondFactor`: the session exists but is not usable until `completeSecondFactor`.
   */
  | { ok: true; userId: string; setCookie: string; secondFactor: boolean }
  | { ok: false; code: "INVALID_CREDENTIALS" | "LOCKED" | "DISABLED"; message: string };

const INVALID = "The email or password is not correct.";

/**
 * Email + password through better-auth (which sets the session cookie), with KeyCenter's
 * rules around it: disabled users cannot sign in; repeated failures lock the account for a
 * while; every attempt is audited.
 */
export async function signInWithPassword(input: {
  email: string;
  password: string;
  headers: Headers;
  actor: Omit<AuditActor, "actorId" | "actorEmail">;
}): Promise<SignInOutcome> {
  const email = input.email.trim().toLowerCase();
  const user = await prisma.user.findUnique({ where: { email } });
  const audit = (result: "success" | "failure", reason?: string) =>
    prisma.$transaction((tx) =>
      recordAudit(tx, {
        ...input.actor,
        actorId: user?.id ?? null,
        actorEmail: email,
        orgId: user?.orgId ?? null,
        action: "auth.sign_in",
        result,
        details: reason ? { reason } : {},
      }),
    );

  if (user?.lockedUntil && user.lockedUntil > new Date()) {
    await audit("failure", "locked");
    return { ok: false, code: "LOCKED", message: lockedMessage(user.lockedUntil) };
  }
  if (user?.disabled) {
    await audit("failure", "disabled");
    return { ok: false, code: "DISABLED", message: "This account is disabled. Ask your administrator." };
  }

  let setCookie = "";
  let token = "";
  try {
    const r = await getAuth().api.signInEmail({
      body: { email, password: input.password },
      headers: input.headers,
      returnHeaders: true,
    });
    setCookie = r.headers.get("set-cookie") ?? "";
    token = r.response.token;
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    if (user) await countFailure(user.id);
    await audit("failure", "invalid_credentials");
    return { ok: false, code: "INVALID_CREDENTIALS", message: INVALID };
  }

  // better-auth made the session with `verifiedAt` null: unusable until verified here.
  if (user!.twoFactorEnabled) {
    // The failure count carries on into the code step: a right password does not reset it.
    await audit("success", "second_factor_pending");
    return { ok: true, userId: user!.id, setCookie, secondFactor: true };
  }
  await prisma.session.update({ where: { token }, data: { verifiedAt: new Date() } });
  await prisma.user.update({ where: { id: user!.id }, data: { failedSignIns: 0, lockedUntil: null } });
  await audit("success");
  return { ok: true, userId: user!.id, setCookie, secondFactor: false };
}

/** One more failure (password or code); at MAX_FAILED_SIGN_INS the account locks. Returns true when it locked. */
async function countFailure(userId: string): Promise<boolean> {
  const { failedSignIns } = await prisma.user.update({
    where: { id: userId },
    data: { failedSignIns: { increment: 1 } },
    select: { failedSignIns: true },
  });
  if (failedSignIns < MAX_FAILED_SIGN_INS) return false;
  await prisma.user.update({
    where: { id: userId },
    data: { failedSignIns: 0, lockedUntil: new Date(Date.now() + LOCKOUT_MINUTES * 60_000) },
  });
  return true;
}

function lockedMessage(until: Date): string {
  const minutes = Math.ceil((until.getTime() - Date.now()) / 60000);
  return `Too many failed sign-ins. This account is locked; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export type SecondFactorOutcome =
  { ok: true; userId: string } | { ok: false; code: "INVALID_CODE" | "LOCKED" | "EXPIRED"; message: string };

/**
 * The second step of signing in: the session the password opened (cookie in `headers`)
 * becomes usable once a TOTP code or an unused recovery code checks out. Wrong codes count
 * toward the lockout; at the lock, or after SECOND_FACTOR_MINUTES, the waiting session ends.
 */
export async function completeSecondFactor(input: {
  code: string;
  headers: Headers;
  actor: Omit<AuditActor, "actorId" | "actorEmail">;
}): Promise<SecondFactorOutcome> {
  const found = await getAuth()
    .api.getSession({ headers: input.headers })
    .catch(() => null);
  const row = found && (await prisma.session.findUnique({ where: { id: found.session.id }, include: { user: true } }));
  const expired = { ok: false, code: "EXPIRED", message: "Your sign-in has expired. Please sign in again." } as const;
  if (!row) return expired;
  const { user } = row;
  if (row.verifiedAt) return { ok: true, userId: user.id };
  const audit = (result: "success" | "failure", details: Record<string, string>) =>
    prisma.$transaction((tx) =>
      recordAudit(tx, {
        ...input.actor,
        actorId: user.id,
        actorEmail: user.email,
        orgId: user.orgId,
        action: "auth.mfa",
        result,
        details,
      }),
    );
  const end = () => prisma.session.deleteMany({ where: { id: row.id } });
  if (row.createdAt.getTime() < Date.now() - SECOND_FACTOR_MINUTES * 60_000 || user.disabled) {
    await end();
    return expired;
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    await end();
    await audit("failure", { reason: "locked" });
    return { ok: false, code: "LOCKED", message: lockedMessage(user.lockedUntil) };
  }
  const method = await checkSecondFactor(user.id, input.code);
  if (!method) {
    const locked = await countFailure(user.id);
    await audit("failure", { reason: "invalid_code" });
    if (locked) {
      await end();
      return { ok: false, code: "LOCKED", message: lockedMessage(new Date(Date.now() + LOCKOUT_MINUTES * 60_000)) };
    }
    return { ok: false, code: "INVALID_CODE", message: "That code is not correct." };
  }
  await prisma.session.update({ where: { id: row.id }, data: { verifiedAt: new Date() } });
  await prisma.user.update({ where: { id: user.id }, data: { failedSignIns: 0, lockedUntil: null } });
  await audit("success", { method });
  return { ok: true, userId: user.id };
}

export type StepUpProof = { password: string } | { code: string };

/**
 * Step-up: the signed-in person proves it is still them (password, or a TOTP / recovery
 * code when enrolled); the session counts as freshly verified. Failures count toward the
 * lockout, and at the lock every session of theirs ends.
 */
export async function verifyStepUp(
  session: PortalSession,
  proof: StepUpProof,
): Promise<{ ok: true } | { ok: false; code: "INVALID_CREDENTIALS" | "LOCKED"; message: string }> {
  let good = false;
  let method = "password";
  if ("password" in proof) {
    const account = await prisma.account.findFirst({
      where: { userId: session.user.id, providerId: "credential" },
      select: { password: true },
    });
    good = Boolean(account?.password) && (await verifyPassword(account!.password!, proof.password));
  } else {
    const m = await checkSecondFactor(session.user.id, proof.code);
    good = m !== null;
    method = m ?? "code";
  }
  const audit = (result: "success" | "failure") =>
    prisma.$transaction((tx) =>
      recordAudit(tx, {
        actorId: session.user.id,
        actorEmail: session.user.email,
        ip: session.ip,
        userAgent: session.userAgent,
        orgId: session.userOrg.id,
        action: "auth.step_up",
        result,
        details: { method },
      }),
    );
  if (!good) {
    const locked = await countFailure(session.user.id);
    await audit("failure");
    if (locked) {
      await prisma.session.deleteMany({ where: { userId: session.user.id } });
      return { ok: false, code: "LOCKED", message: lockedMessage(new Date(Date.now() + LOCKOUT_MINUTES * 60_000)) };
    }
    return {
      ok: false,
      code: "INVALID_CREDENTIALS",
      message: "password" in proof ? "That password is not correct." : "That code is not correct.",
    };
  }
  await prisma.session.update({ where: { id: session.sessionId }, data: { verifiedAt: new Date() } });
  await prisma.user.update({ where: { id: session.user.id }, data: { failedSignIns: 0 } });
  await audit("success");
  return { ok: true };
}

export async function signOut(headers: Headers): Promise<void> {
  await getAuth()
    .api.signOut({ headers })
    .catch(() => {});
}
