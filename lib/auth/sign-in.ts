import { APIError } from "better-auth/api";
import { prisma } from "@/lib/db";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { getAuth } from "./auth";

export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MINUTES = 15;

export type SignInOutcome =
  /** `setCookie`: the session cookie, for callers outside Next.js (tests); in an action the plugin sets it. */
  | { ok: true; userId: string; setCookie: string }
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
    const minutes = Math.ceil((user.lockedUntil.getTime() - Date.now()) / 60000);
    return {
      ok: false,
      code: "LOCKED",
      message: `Too many failed sign-ins. This account is locked; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    };
  }
  if (user?.disabled) {
    await audit("failure", "disabled");
    return { ok: false, code: "DISABLED", message: "This account is disabled. Ask your administrator." };
  }

  let setCookie = "";
  try {
    const r = await getAuth().api.signInEmail({
      body: { email, password: input.password },
      headers: input.headers,
      returnHeaders: true,
    });
    setCookie = r.headers.get("set-cookie") ?? "";
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    if (user) {
      const failures = user.failedSignIns + 1;
      const locked = failures >= MAX_FAILED_SIGN_INS;
      await prisma.user.update({
        where: { id: user.id },
        data: {
          failedSignIns: locked ? 0 : failures,
          lockedUntil: locked ? new Date(Date.now() + LOCKOUT_MINUTES * 60_000) : null,
        },
      });
    }
    await audit("failure", "invalid_credentials");
    return { ok: false, code: "INVALID_CREDENTIALS", message: INVALID };
  }

  await prisma.user.update({ where: { id: user!.id }, data: { failedSignIns: 0, lockedUntil: null } });
  await audit("success");
  return { ok: true, userId: user!.id, setCookie };
}

export async function signOut(headers: Headers): Promise<void> {
  await getAuth()
    .api.signOut({ headers })
    .catch(() => {});
}
