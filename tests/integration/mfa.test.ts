/**
 * The second factor (A2), sessions (idle timeout, ending them) and step-up (B5), through
 * the services and the server actions, against real PostgreSQL.
 */
import { generate } from "otplib";
import { totp } from "../helpers/totp";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
const { nextRequest } = await import("../helpers/next-request");

const { prisma } = await import("@/lib/db");
const { resolvePortalSession, IDLE_TIMEOUT_MINUTES } = await import("@/lib/auth/session");
const { completeSecondFactor, MAX_FAILED_SIGN_INS, signInWithPassword } = await import("@/lib/auth/sign-in");
const { seed } = await import("../helpers/fixtures");
const { createUser } = await import("@/prisma/seed");
const security = {
  ...(await import("@/lib/actions/account/start-mfa-enrollment")),
  ...(await import("@/lib/actions/account/confirm-mfa-enrollment")),
  ...(await import("@/lib/actions/account/end-session")),
  ...(await import("@/lib/actions/account/verify-step-up")),
};
const { resetSecondFactorAction } = await import("@/lib/actions/users/reset-second-factor");
const { deleteKeyAction } = await import("@/lib/actions/keys/delete-key");
const { setMetaKeysEnabledAction } = await import("@/lib/actions/settings/set-meta-keys-enabled");
const { setRequireMfaAction } = await import("@/lib/actions/settings/set-require-mfa");
const { mfaRequiredBy } = await import("@/lib/orgs/settings");

const PASSWORD = "Welcome-to-KeyCenter-9";
let seq = 0;

function cookieOf(setCookie: string): Headers {
  const cookie = setCookie
    .split(/,(?=\s*[\w.-]+=)/)
    .map((c) => c.split(";")[0]!.trim())
    .join("; ");
  return new Headers({ cookie, "user-agent": "vitest" });
}

async function newUser(orgId = "merchant12378", roleId = "role_administrator") {
  const email = `mfa${++seq}@keycenter.test`;
  const id = await createUser(prisma, { email, name: `MFA ${seq}`, orgId, roleId }, PASSWORD);
  return { id, email };
}

async function signIn(email: string, password = PASSWORD) {
  const outcome = await signInWithPassword({ email, password, headers: new Headers(), actor: {} });
  if (!outcome.ok) throw new Error(outcome.message);
  return { headers: cookieOf(outcome.setCookie), secondFactor: outcome.secondFactor };
}

/** Signs in, enrolls through the actions, returns the recovery codes and the (verified) headers. */
async function enroll(email: string, userId: string) {
  const { headers } = await signIn(email);
  nextRequest.headers = headers;
  const started = await security.startMfaEnrollmentAction({});
  if (!started.ok) throw new Error(started.error.message);
  const confirmed = await security.confirmMfaEnrollmentAction({ code: await totp(userId) });
  if (!confirmed.ok) throw new Error(confirmed.error.message);
  return { headers, recoveryCodes: confirmed.data.recoveryCodes };
}

describe("TOTP enrollment", () => {
  beforeAll(seed);

  it("starts with a QR code, stores the secret sealed, and turns on only after a correct code", async () => {
    const u = await newUser();
    nextRequest.headers = (await signIn(u.email)).headers;
    const started = await security.startMfaEnrollmentAction({});
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect(started.data.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const row = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.twoFactorEnabled).toBe(false);
    expect(Buffer.from(row.totpSecret!).toString("latin1")).not.toContain(started.data.secret);

    const wrong = await security.confirmMfaEnrollmentAction({ code: "000000" });
    expect(wrong).toMatchObject({ ok: false, error: { code: "INVALID_CODE" } });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: u.id } })).twoFactorEnabled).toBe(false);

    const code = await generate({ secret: started.data.secret });
    const confirmed = await security.confirmMfaEnrollmentAction({ code });
    expect(confirmed.ok).toBe(true);
    if (!confirmed.ok) return;
    expect(confirmed.data.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.data.recoveryCodes).size).toBe(10);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: u.id } })).twoFactorEnabled).toBe(true);
    const stored = await prisma.recoveryCode.findMany({ where: { userId: u.id } });
    expect(stored).toHaveLength(10);
    expect(stored.map((s) => s.codeHash)).not.toContain(confirmed.data.recoveryCodes[0]);
    const audit = await prisma.auditEvent.findMany({ where: { action: "auth.mfa_enroll", actorId: u.id } });
    expect(audit.map((a) => a.result).sort()).toEqual(["failure", "success"]);
    const details = JSON.stringify(audit.map((a) => a.details));
    expect(details).not.toContain(started.data.secret);
    expect(details).not.toContain(confirmed.data.recoveryCodes[0]);
  });
});

describe("signing in with a second factor", () => {
  beforeAll(seed);

  it("gives no portal session for the password alone; the password and a code do", async () => {
    const u = await newUser();
    await enroll(u.email, u.id);
    const { headers, secondFactor } = await signIn(u.email);
    expect(secondFactor).toBe(true);
    expect(await resolvePortalSession(headers)).toBeNull();
    nextRequest.headers = headers;
    expect(await security.verifyStepUpAction({ password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: "UNAUTHENTICATED" },
    });

    // The enrollment code's time step is spent: the app's next code is accepted (one step of drift).
    const done = await completeSecondFactor({ code: await totp(u.id, 1), headers, actor: {} });
    expect(done).toEqual({ ok: true, userId: u.id });
    const session = await resolvePortalSession(headers);
    expect(session?.user.email).toBe(u.email);
    expect(await prisma.auditEvent.count({ where: { action: "auth.mfa", actorId: u.id, result: "success" } })).toBe(1);
  });

  it("refuses a code used once already", async () => {
    const u = await newUser();
    await enroll(u.email, u.id);
    const code = await totp(u.id, 1);
    const first = await signIn(u.email);
    expect((await completeSecondFactor({ code, headers: first.headers, actor: {} })).ok).toBe(true);
    const second = await signIn(u.email);
    expect(await completeSecondFactor({ code, headers: second.headers, actor: {} })).toMatchObject({
      ok: false,
      code: "INVALID_CODE",
    });
  });

  it("accepts a recovery code once", async () => {
    const u = await newUser();
    const { recoveryCodes } = await enroll(u.email, u.id);
    const first = await signIn(u.email);
    expect(
      (await completeSecondFactor({ code: recoveryCodes[3]!.toUpperCase(), headers: first.headers, actor: {} })).ok,
    ).toBe(true);
    expect(await resolvePortalSession(first.headers)).not.toBeNull();
    const again = await signIn(u.email);
    expect(await completeSecondFactor({ code: recoveryCodes[3]!, headers: again.headers, actor: {} })).toMatchObject({
      ok: false,
      code: "INVALID_CODE",
    });
    expect(await resolvePortalSession(again.headers)).toBeNull();
    expect((await completeSecondFactor({ code: recoveryCodes[4]!, headers: again.headers, actor: {} })).ok).toBe(true);
  });

  it(`locks the account after ${MAX_FAILED_SIGN_INS} wrong codes, and a right code no longer helps`, async () => {
    const u = await newUser();
    await enroll(u.email, u.id);
    const { headers } = await signIn(u.email);
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++) {
      expect(await completeSecondFactor({ code: "000000", headers, actor: {} })).toMatchObject({
        code: "INVALID_CODE",
      });
    }
    expect(await completeSecondFactor({ code: "000000", headers, actor: {} })).toMatchObject({ code: "LOCKED" });
    expect((await completeSecondFactor({ code: await totp(u.id, 1), headers, actor: {} })).ok).toBe(false);
    expect(await resolvePortalSession(headers)).toBeNull();
    const retry = await signInWithPassword({ email: u.email, password: PASSWORD, headers: new Headers(), actor: {} });
    expect(retry).toMatchObject({ ok: false, code: "LOCKED" });
    expect(
      await prisma.auditEvent.count({ where: { action: "auth.mfa", actorId: u.id, result: "failure" } }),
    ).toBeGreaterThanOrEqual(MAX_FAILED_SIGN_INS);
  });

  it("does not let a right password reset the count of wrong codes", async () => {
    const u = await newUser();
    await enroll(u.email, u.id);
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++) {
      const { headers } = await signIn(u.email);
      await completeSecondFactor({ code: "000000", headers, actor: {} });
    }
    const { headers } = await signIn(u.email);
    expect(await completeSecondFactor({ code: "000000", headers, actor: {} })).toMatchObject({ code: "LOCKED" });
  });
});

describe("organizations that require a second factor", () => {
  beforeAll(seed);

  it("sends a person without one to enrollment before anything else", async () => {
    await prisma.orgSettings.upsert({
      where: { orgId: "merchant12379" },
      create: { orgId: "merchant12379", requireMfa: true },
      update: { requireMfa: true },
    });
    const u = await newUser("merchant12379");
    const { headers } = await signIn(u.email);
    const session = await resolvePortalSession(headers);
    expect(session?.mfaEnrollmentRequired).toBe(true);
    expect(session?.permissions.size).toBe(0);
    nextRequest.headers = headers;
    expect(await setMetaKeysEnabledAction({ enabled: true })).toMatchObject({
      ok: false,
      error: { code: "MFA_ENROLLMENT_REQUIRED" },
    });
    expect((await security.startMfaEnrollmentAction({})).ok).toBe(true);
    expect((await security.confirmMfaEnrollmentAction({ code: await totp(u.id) })).ok).toBe(true);
    const after = await resolvePortalSession(headers);
    expect(after?.mfaEnrollmentRequired).toBe(false);
    expect(after?.permissions.has("settings.manage")).toBe(true);
  });
});

describe("requiring a second factor from Settings", () => {
  beforeAll(seed);

  const org = (id: string) => prisma.organization.findUniqueOrThrow({ where: { id } });

  it("a portfolio's requirement reaches every org below it, and no other portfolio; lifting it is audited", async () => {
    const admin = await newUser("portfolioabc");
    const below = await newUser("merchant45602");
    const elsewhere = await newUser("initech01");
    nextRequest.headers = (await signIn(admin.email)).headers;
    expect(await setRequireMfaAction({ required: true })).toMatchObject({ ok: true });
    expect(await mfaRequiredBy(await org("merchant45602"))).toBe("portfolioabc");
    expect(await mfaRequiredBy(await org("globex_acct"))).toBe("portfolioabc");
    expect(await mfaRequiredBy(await org("initech01"))).toBeNull();

    const { headers } = await signIn(below.email);
    expect((await resolvePortalSession(headers))?.mfaEnrollmentRequired).toBe(true);
    expect((await resolvePortalSession((await signIn(elsewhere.email)).headers))?.mfaEnrollmentRequired).toBe(false);

    // The admin who turned it on has no second factor either: nothing more until they enroll.
    expect(await setRequireMfaAction({ required: false })).toMatchObject({
      ok: false,
      error: { code: "MFA_ENROLLMENT_REQUIRED" },
    });
    nextRequest.headers = (await enroll(admin.email, admin.id)).headers;
    expect(await setRequireMfaAction({ required: false })).toMatchObject({ ok: true });
    expect((await resolvePortalSession(headers))?.mfaEnrollmentRequired).toBe(false);
    const audits = await prisma.auditEvent.findMany({
      where: { action: "settings.require_mfa", orgId: "portfolioabc" },
      orderBy: { seq: "asc" },
    });
    expect(audits.map((a) => [a.actorEmail, a.details])).toEqual([
      [admin.email, { from: false, to: true }],
      [admin.email, { from: true, to: false }],
    ]);
  });

  it("the nearest org that requires it is named: the account before the portfolio", async () => {
    await prisma.orgSettings.upsert({
      where: { orgId: "acme_acct" },
      create: { orgId: "acme_acct", requireMfa: true },
      update: { requireMfa: true },
    });
    await prisma.orgSettings.upsert({
      where: { orgId: "portfolioabc" },
      create: { orgId: "portfolioabc", requireMfa: true },
      update: { requireMfa: true },
    });
    expect(await mfaRequiredBy(await org("merchant12380"))).toBe("acme_acct");
    expect(await mfaRequiredBy(await org("merchant45601"))).toBe("portfolioabc");
    await prisma.orgSettings.updateMany({
      where: { orgId: { in: ["acme_acct", "portfolioabc"] } },
      data: { requireMfa: false },
    });
    expect(await mfaRequiredBy(await org("merchant12380"))).toBeNull();
  });
});

describe("resetting a second factor", () => {
  beforeAll(seed);

  it("lets an admin of the user's org reset it, audited; others may not", async () => {
    const u = await newUser();
    await enroll(u.email, u.id);
    nextRequest.headers = (await signIn("initech.admin@keycenter.test", "KeyCenter-demo-1")).headers;
    expect(await resetSecondFactorAction({ userId: u.id })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    nextRequest.headers = (await signIn("merchant.admin@keycenter.test", "KeyCenter-demo-1")).headers;
    expect((await resetSecondFactorAction({ userId: u.id })).ok).toBe(true);
    const row = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row).toMatchObject({ twoFactorEnabled: false, totpSecret: null });
    expect(await prisma.recoveryCode.count({ where: { userId: u.id } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "auth.mfa_reset", targetId: u.id } })).toBe(1);
    expect((await signIn(u.email)).secondFactor).toBe(false);
  });
});

describe("sessions", () => {
  beforeAll(seed);

  it(`ends a session after ${IDLE_TIMEOUT_MINUTES} minutes without activity, and touches it at most once a minute`, async () => {
    const u = await newUser();
    const { headers } = await signIn(u.email);
    const session = (await resolvePortalSession(headers))!;
    const twoMinutesAgo = new Date(Date.now() - 2 * 60_000);
    await prisma.session.update({ where: { id: session.sessionId }, data: { updatedAt: twoMinutesAgo } });
    expect(await resolvePortalSession(headers)).not.toBeNull();
    const touched = await prisma.session.findUniqueOrThrow({ where: { id: session.sessionId } });
    expect(touched.updatedAt.getTime()).toBeGreaterThan(twoMinutesAgo.getTime());
    await resolvePortalSession(headers);
    expect((await prisma.session.findUniqueOrThrow({ where: { id: session.sessionId } })).updatedAt).toEqual(
      touched.updatedAt,
    );

    await prisma.session.update({
      where: { id: session.sessionId },
      data: { updatedAt: new Date(Date.now() - (IDLE_TIMEOUT_MINUTES + 1) * 60_000) },
    });
    expect(await resolvePortalSession(headers)).toBeNull();
    expect(await prisma.session.findUnique({ where: { id: session.sessionId } })).toBeNull();
  });

  it("lets a person end their own sessions but nobody else's", async () => {
    const u = await newUser();
    const a = await signIn(u.email);
    const b = await signIn(u.email);
    const sessionB = (await resolvePortalSession(b.headers))!;
    nextRequest.headers = (await signIn("merchant.admin@keycenter.test", "KeyCenter-demo-1")).headers;
    expect(await security.endSessionAction({ sessionId: sessionB.sessionId })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    nextRequest.headers = a.headers;
    expect(await security.endSessionAction({ sessionId: sessionB.sessionId })).toEqual({
      ok: true,
      data: { current: false },
    });
    expect(await resolvePortalSession(b.headers)).toBeNull();
    expect(await resolvePortalSession(a.headers)).not.toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "auth.session_end", targetId: sessionB.sessionId } })).toBe(
      1,
    );
  });
});

describe("step-up", () => {
  beforeAll(seed);

  async function keyOf(orgId: string) {
    const id = `stepup-${++seq}`;
    await prisma.key.create({
      data: {
        id,
        type: "PGP",
        environment: "TEST",
        orgId,
        name: id,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    return id;
  }

  it("refuses a sensitive action when the last verification is older than 5 minutes, and passes after the password", async () => {
    const u = await newUser("acme_acct");
    const { headers } = await signIn(u.email);
    nextRequest.headers = headers;
    const session = (await resolvePortalSession(headers))!;
    const keyId = await keyOf("acme_acct");
    await prisma.session.update({
      where: { id: session.sessionId },
      data: { verifiedAt: new Date(Date.now() - 6 * 60_000) },
    });
    expect(await deleteKeyAction({ keyId })).toMatchObject({ ok: false, error: { code: "STEP_UP_REQUIRED" } });
    expect((await prisma.key.findUniqueOrThrow({ where: { id: keyId } })).deletedAt).toBeNull();
    // Every change to an org setting is sensitive, turning a feature on as much as off (issue 12).
    for (const enabled of [true, false]) {
      expect(await setMetaKeysEnabledAction({ enabled })).toMatchObject({
        ok: false,
        error: { code: "STEP_UP_REQUIRED" },
      });
    }

    expect(await security.verifyStepUpAction({ password: "not-my-password" })).toMatchObject({
      ok: false,
      error: { code: "INVALID_CREDENTIALS" },
    });
    expect((await deleteKeyAction({ keyId })).ok).toBe(false);
    expect((await security.verifyStepUpAction({ password: PASSWORD })).ok).toBe(true);
    expect((await deleteKeyAction({ keyId })).ok).toBe(true);
    expect(await prisma.auditEvent.count({ where: { action: "auth.step_up", actorId: u.id } })).toBe(2);
  });

  it("accepts a TOTP code for step-up when a second factor is enrolled", async () => {
    const u = await newUser();
    const { headers } = await enroll(u.email, u.id);
    const session = (await resolvePortalSession(headers))!;
    await prisma.session.update({
      where: { id: session.sessionId },
      data: { verifiedAt: new Date(Date.now() - 6 * 60_000) },
    });
    nextRequest.headers = headers;
    const keyId = await keyOf("merchant12378");
    expect((await deleteKeyAction({ keyId })).ok).toBe(false);
    expect((await security.verifyStepUpAction({ code: await totp(u.id, 1) })).ok).toBe(true);
    expect((await deleteKeyAction({ keyId })).ok).toBe(true);
  });

  it("counts a fresh sign-in as verified", async () => {
    const u = await newUser();
    nextRequest.headers = (await signIn(u.email)).headers;
    expect((await deleteKeyAction({ keyId: await keyOf("merchant12378") })).ok).toBe(true);
  });
});
