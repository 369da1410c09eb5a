import { APIError } from "better-auth/api";
import { prisma } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { Prisma } from "@/lib/generated/prisma/client";
import { consumeLimit, refundLimit, resetLimit, tooManyAttemptsMessage, type LimitName } from "@/lib/rate-limit";
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
  | { ok: false; code: "INVALID_CREDENTIALS" | "LOCKED" | "DISABLED" | "RATE_LIMITED"; message: string };

const INVALID = "The email or password is not correct.";

/**
 * The lockout, counted before the secret is checked so that it holds whatever the concurrency.
 *
 * `failedSignIns` counts the attempts (password, second-factor code or step-up) since the last
 * success; each attempt takes its number in one `UPDATE … RETURNING` before anything is
 * checked. While the account is open, attempts 1 to MAX_FAILED_SIGN_INS are checked; a failed
 * check with the count at the limit locks the account for LOCKOUT_MINUTES. An attempt numbered
 * past the limit while the earlier ones are still being checked (a burst) locks the account at
 * once and is not checked: a burst of 25 gets 5 checks. (So an attempt cut short between its
 * number and its check, by a crash, cannot leave the count stuck without a lock that ends.)
 * While the account is locked nothing signs in; after a lock reached one failure at a time, the
 * next MAX_FAILED_SIGN_INS attempts are still checked, only so that a right password can be told
 * "locked" (a wrong one hears the generic answer); after a burst, none is. The first attempt
 * after the lock counts from 1 again. So at most MAX_FAILED_SIGN_INS secrets are checked while
 * the account is open and as many while it is locked, whatever the concurrency.
 */
interface Attempt {
  id: string;
  orgId: string;
  /** This attempt's number since the last success. */
  attempt: number;
  lockedUntil: Date | null;
  disabled: boolean;
  twoFactorEnabled: boolean;
}

const nowUtc = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
const lockedNow = Prisma.sql`("lockedUntil" IS NOT NULL AND "lockedUntil" > ${nowUtc})`;
const lockEnd = Prisma.sql`${nowUtc} + make_interval(mins => ${LOCKOUT_MINUTES}::int)`;

/** Takes the next attempt number for a user (by email or ID); null when there is no such user. */
async function countAttempt(where: { email: string } | { id: string }): Promise<Attempt | null> {
  const match = "email" in where ? Prisma.sql`"email" = ${where.email}` : Prisma.sql`"id" = ${where.id}`;
  const burst = Prisma.sql`("lockedUntil" IS NULL AND "failedSignIns" >= ${MAX_FAILED_SIGN_INS}::int)`;
  // Both CASEs read the row as it was. A lock that is over counts as none.
  const [row] = await prisma.$queryRaw<Attempt[]>`
    UPDATE "users" SET
      "failedSignIns" = CASE
        WHEN ${lockedNow} THEN LEAST("failedSignIns" + 1, 1000000)
        WHEN ${burst} THEN ${2 * MAX_FAILED_SIGN_INS + 1}::int
        WHEN "lockedUntil" IS NULL THEN "failedSignIns" + 1
        ELSE 1 END,
      "lockedUntil" = CASE
        WHEN ${lockedNow} THEN "lockedUntil"
        WHEN ${burst} THEN ${lockEnd}
        ELSE NULL END
    WHERE ${match}
    RETURNING "id", "orgId", "failedSignIns" AS "attempt", "lockedUntil", "disabled", "twoFactorEnabled"`;
  return row ?? null;
}

const isLocked = (a: Pick<Attempt, "lockedUntil">) => a.lockedUntil !== null && a.lockedUntil > new Date();

/** Whether this attempt's secret may be checked at all (see Attempt; open, its number is at most the limit). */
function mayCheck(a: Attempt): boolean {
  return !isLocked(a) || a.attempt <= 2 * MAX_FAILED_SIGN_INS;
}

/** A failed check: with the count at the limit, the account locks. Returns when it is locked until, if it is. */
async function failedCheck(userId: string): Promise<Date | null> {
  const [row] = await prisma.$queryRaw<{ lockedUntil: Date }[]>`
    UPDATE "users" SET "lockedUntil" = ${lockEnd}
    WHERE "id" = ${userId} AND NOT ${lockedNow} AND "failedSignIns" >= ${MAX_FAILED_SIGN_INS}::int
    RETURNING "lockedUntil"`;
  if (row) return row.lockedUntil;
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { lockedUntil: true } });
  return user && isLocked(user) ? user.lockedUntil : null;
}

/**
 * A right secret: the count starts again (`keepCount`: the attempt is only given back, as a
 * right password does not clear wrong second-factor codes) unless the account is locked or
 * disabled meanwhile. Returns false when it is: then the attempt does not sign in.
 */
async function rightCheck(userId: string, { keepCount = false } = {}): Promise<boolean> {
  const count = keepCount ? Prisma.sql`GREATEST("failedSignIns" - 1, 0)` : Prisma.sql`0`;
  const updated = await prisma.$executeRaw`
    UPDATE "users" SET "failedSignIns" = ${count}, "lockedUntil" = NULL
    WHERE "id" = ${userId} AND NOT ${lockedNow} AND NOT "disabled"`;
  return updated === 1;
}

/**
 * Email + password through better-auth (which sets the session cookie), with KeyCenter's
 * rules around it: rate limits per account and per client address; the lockout (above);
 * disabled users cannot sign in; every attempt is audited. A locked or disabled account
 * answers as a wrong password does unless the password was right.
 */
export async function signInWithPassword(input: {
  email: string;
  password: string;
  headers: Headers;
  actor: Omit<AuditActor, "actorId" | "actorEmail">;
}): Promise<SignInOutcome> {
  const email = input.email.trim().toLowerCase();
  const ip = input.actor.ip;
  let user: Attempt | null = null;
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
  const invalid = async (reason: string) => {
    await audit("failure", reason);
    return { ok: false, code: "INVALID_CREDENTIALS", message: INVALID } as const;
  };

  const limited = await firstLimited([["signIn.account", email], ...(ip ? [["signIn.ip", ip] as const] : [])]);
  if (limited) {
    await audit("failure", "rate_limited");
    return { ok: false, code: "RATE_LIMITED", message: tooManyAttemptsMessage(limited.retryAfterSeconds) };
  }

  user = await countAttempt({ email });
  if (user && !mayCheck(user)) return invalid("locked");

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
    if (user) await failedCheck(user.id);
    return invalid(user && isLocked(user) ? "locked" : "invalid_credentials");
  }
  if (!user) throw new Error("better-auth signed in an email without a user");

  // The password was right. better-auth made the session with `verifiedAt` null: unusable until
  // verified here, and ended here when the account is locked or disabled.
  if (!(await rightCheck(user.id, { keepCount: user.twoFactorEnabled }))) {
    await prisma.session.deleteMany({ where: { token } });
    const now = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    if (now.disabled) {
      await audit("failure", "disabled");
      return { ok: false, code: "DISABLED", message: "This account is disabled. Ask your administrator." };
    }
    await audit("failure", "locked");
    return { ok: false, code: "LOCKED", message: lockedMessage(now.lockedUntil ?? new Date()) };
  }
  await resetLimit("signIn.account", email);
  if (ip) await refundLimit("signIn.ip", ip);
  if (user.twoFactorEnabled) {
    // The failure count carries on into the code step: a right password does not reset it.
    await audit("success", "second_factor_pending");
    return { ok: true, userId: user.id, setCookie, secondFactor: true };
  }
  await prisma.session.update({ where: { token }, data: { verifiedAt: new Date() } });
  await audit("success");
  return { ok: true, userId: user.id, setCookie, secondFactor: false };
}

/** Counts one event under each limit (all of them, so each sees every attempt); the first refusal, if any. */
async function firstLimited(
  limits: readonly (readonly [LimitName, string])[],
): Promise<{ retryAfterSeconds: number } | null> {
  const results = await Promise.all(limits.map(([name, key]) => consumeLimit(name, key)));
  return results.find((r) => !r.ok) ?? null;
}

function lockedMessage(until: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60000));
  return `Too many failed sign-ins. This account is locked; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

export type SecondFactorOutcome =
  | { ok: true; userId: string }
  | { ok: false; code: "INVALID_CODE" | "LOCKED" | "EXPIRED" | "RATE_LIMITED"; message: string };

/**
 * The second step of signing in: the session the password opened (cookie in `headers`)
 * becomes usable once a TOTP code or an unused recovery code checks out. Rate-limited per
 * account and per client address; codes count toward the lockout, before they are checked;
 * at the lock, or after SECOND_FACTOR_MINUTES, the waiting session ends.
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
  const locked = async (until: Date) => {
    await end();
    await audit("failure", { reason: "locked" });
    return { ok: false, code: "LOCKED", message: lockedMessage(until) } as const;
  };
  if (row.createdAt.getTime() < Date.now() - SECOND_FACTOR_MINUTES * 60_000 || user.disabled) {
    await end();
    return expired;
  }
  const ip = input.actor.ip;
  const limited = await firstLimited([
    ["secondFactor.account", user.id],
    ...(ip ? [["secondFactor.ip", ip] as const] : []),
  ]);
  if (limited) {
    await audit("failure", { reason: "rate_limited" });
    return { ok: false, code: "RATE_LIMITED", message: tooManyAttemptsMessage(limited.retryAfterSeconds) };
  }
  const invalid = { ok: false, code: "INVALID_CODE", message: "That code is not correct." } as const;
  const attempt = await countAttempt({ id: user.id });
  if (!attempt) return expired;
  if (isLocked(attempt)) return locked(attempt.lockedUntil!);
  const method = await checkSecondFactor(user.id, input.code);
  if (!method) {
    const until = await failedCheck(user.id);
    if (until) return locked(until);
    await audit("failure", { reason: "invalid_code" });
    return invalid;
  }
  if (!(await rightCheck(user.id))) {
    const now = await prisma.user.findUnique({ where: { id: user.id } });
    if (!now || now.disabled) {
      await end();
      return expired;
    }
    return locked(now.lockedUntil ?? new Date());
  }
  await prisma.session.update({ where: { id: row.id }, data: { verifiedAt: new Date() } });
  await resetLimit("secondFactor.account", user.id);
  if (ip) await refundLimit("secondFactor.ip", ip);
  await audit("success", { method });
  return { ok: true, userId: user.id };
}

export type StepUpProof = { password: string } | { code: string };

/**
 * Step-up: the signed-in person proves it is still them (password, or a TOTP / recovery
 * code when enrolled); the session counts as freshly verified. Rate-limited per account;
 * attempts count toward the lockout before they are checked, and at the lock every session
 * of theirs ends.
 */
export async function verifyStepUp(
  session: PortalSession,
  proof: StepUpProof,
): Promise<{ ok: true } | { ok: false; code: "INVALID_CREDENTIALS" | "LOCKED" | "RATE_LIMITED"; message: string }> {
  const userId = session.user.id;
  let method = "password" in proof ? "password" : "code";
  const audit = (result: "success" | "failure", reason?: string) =>
    prisma.$transaction((tx) =>
      recordAudit(tx, {
        actorId: userId,
        actorEmail: session.user.email,
        ip: session.ip,
        userAgent: session.userAgent,
        orgId: session.userOrg.id,
        action: "auth.step_up",
        result,
        details: reason ? { method, reason } : { method },
      }),
    );
  const limited = await consumeLimit("stepUp.account", userId);
  if (!limited.ok) {
    await audit("failure", "rate_limited");
    return { ok: false, code: "RATE_LIMITED", message: tooManyAttemptsMessage(limited.retryAfterSeconds) };
  }
  const wrong = {
    ok: false,
    code: "INVALID_CREDENTIALS",
    message: "password" in proof ? "That password is not correct." : "That code is not correct.",
  } as const;
  const attempt = await countAttempt({ id: userId });
  if (!attempt) return wrong;
  if (!mayCheck(attempt)) {
    await audit("failure", "locked");
    // Signed in already: telling this person of the lock tells nothing about the password.
    return { ok: false, code: "LOCKED", message: lockedMessage(attempt.lockedUntil!) };
  }
  let good: boolean;
  if ("password" in proof) {
    const account = await prisma.account.findFirst({
      where: { userId, providerId: "credential" },
      select: { password: true },
    });
    good = Boolean(account?.password) && (await verifyPassword(account!.password!, proof.password));
  } else {
    const m = await checkSecondFactor(userId, proof.code);
    good = m !== null;
    method = m ?? method;
  }
  if (!good) {
    const until = await failedCheck(userId);
    await audit("failure");
    if (until) {
      await prisma.session.deleteMany({ where: { userId } });
      return { ok: false, code: "LOCKED", message: lockedMessage(until) };
    }
    return wrong;
  }
  // A right proof while the account is locked (by someone else's guesses) still verifies
  // this session; only the count stays.
  await rightCheck(userId);
  await prisma.session.update({ where: { id: session.sessionId }, data: { verifiedAt: new Date() } });
  await resetLimit("stepUp.account", userId);
  await audit("success");
  return { ok: true };
}

export async function signOut(headers: Headers): Promise<void> {
  await getAuth()
    .api.signOut({ headers })
    .catch(() => {});
}
