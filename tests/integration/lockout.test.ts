/**
 * The lockout under concurrency, the answers of a locked or disabled account, and the rate
 * limits on sign-in, second-factor codes and step-up, against real PostgreSQL.
 */
import { totp } from "../helpers/totp";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
const { nextRequest } = await import("../helpers/next-request");

// Every password verification (better-auth's and step-up's) goes through this one function,
// and every second-factor check through checkSecondFactor: count them.
const verifications = vi.hoisted(() => ({ count: 0, codes: 0 }));
vi.mock("@/lib/auth/mfa", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/mfa")>();
  return {
    ...original,
    checkSecondFactor: async (userId: string, code: string) => {
      verifications.codes++;
      return original.checkSecondFactor(userId, code);
    },
  };
});
vi.mock("@/lib/auth/password", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/auth/password")>();
  return {
    ...original,
    verifyPassword: async (hashed: string, password: string) => {
      verifications.count++;
      return original.verifyPassword(hashed, password);
    },
  };
});

const { prisma } = await import("@/lib/db");
const { resolvePortalSession } = await import("@/lib/auth/session");
const { completeSecondFactor, LOCKOUT_MINUTES, MAX_FAILED_SIGN_INS, signInWithPassword } =
  await import("@/lib/auth/sign-in");
const { createLimits, setLimitsForTests } = await import("@/lib/rate-limit");
const { createUser } = await import("@/prisma/seed");
const { cookieHeaders: cookieOf, seed } = await import("../helpers/fixtures");
const security = {
  ...(await import("@/lib/actions/account/start-mfa-enrollment")),
  ...(await import("@/lib/actions/account/confirm-mfa-enrollment")),
  ...(await import("@/lib/actions/account/end-session")),
  ...(await import("@/lib/actions/account/verify-step-up")),
};

const PASSWORD = "Lockout-test-password-7";
const INVALID = "The email or password is not correct.";
let seq = 0;

async function newUser() {
  const email = `lockout${++seq}@keycenter.test`;
  const id = await createUser(
    prisma,
    { email, name: `Lockout ${seq}`, orgId: "merchant12378", roleId: "role_administrator" },
    PASSWORD,
  );
  return { id, email };
}

// Each test's own client address (seq: the latest user), so that per-address counts stay apart.
const attempt = (email: string, password: string, ip = `198.51.100.${seq}`) =>
  signInWithPassword({ email, password, headers: new Headers(), actor: { ip } });

const verifiedSessions = (userId: string) => prisma.session.count({ where: { userId, verifiedAt: { not: null } } });

beforeAll(seed);
afterEach(() => setLimitsForTests(null));

describe("lockout under concurrency", () => {
  it(`checks at most ${MAX_FAILED_SIGN_INS} passwords of a burst of 26, and the right one in it does not sign in`, async () => {
    // Rate limits high enough to see the lockout alone.
    const plenty = { points: 1000, durationSeconds: 60 };
    setLimitsForTests(createLimits({ rules: { "signIn.account": plenty, "signIn.ip": plenty } }));
    const u = await newUser();
    verifications.count = 0;
    const burst = [...Array.from({ length: 25 }, (_, i) => `wrong-password-${i}`), PASSWORD];
    const outcomes = await Promise.all(burst.map((p) => attempt(u.email, p)));
    expect(verifications.count).toBeLessThanOrEqual(MAX_FAILED_SIGN_INS);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(0);
    expect(outcomes.at(-1)).toEqual({ ok: false, code: "INVALID_CREDENTIALS", message: INVALID });
    expect(await verifiedSessions(u.id)).toBe(0);
    const user = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(user.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + (LOCKOUT_MINUTES - 1) * 60_000);

    // A second burst in the same lock window checks nothing more, right password included.
    const again = await Promise.all(burst.map((p) => attempt(u.email, p)));
    expect(verifications.count).toBeLessThanOrEqual(MAX_FAILED_SIGN_INS);
    expect(again.filter((o) => o.ok)).toHaveLength(0);
    expect(await verifiedSessions(u.id)).toBe(0);

    // Once the lock is over, the right password signs in and the count starts again.
    await prisma.user.update({ where: { id: u.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await attempt(u.email, PASSWORD)).ok).toBe(true);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: u.id } })).toMatchObject({
      failedSignIns: 0,
      lockedUntil: null,
    });
  });

  it("checks at most as many second-factor codes of a burst as the lockout allows", async () => {
    const u = await newUser();
    const { headers } = await enroll(u);
    const signedIn = await attempt(u.email, PASSWORD);
    if (!signedIn.ok) throw new Error(signedIn.message);
    const pending = cookieOf(signedIn.setCookie);
    setLimitsForTests(createLimits({ rules: { "secondFactor.account": { points: 1000, durationSeconds: 60 } } }));
    verifications.codes = 0;
    const outcomes = await Promise.all([
      ...Array.from({ length: 25 }, () => completeSecondFactor({ code: "000000", headers: pending, actor: {} })),
      completeSecondFactor({ code: await totp(u.id, 1), headers: pending, actor: {} }),
    ]);
    expect(verifications.codes).toBeLessThanOrEqual(MAX_FAILED_SIGN_INS);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(0);
    expect(await resolvePortalSession(pending)).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: u.id } })).lockedUntil).not.toBeNull();
    expect(headers).toBeDefined();
  });
});

describe("answers of a locked or disabled account", () => {
  it("a locked account answers a wrong password as any wrong password, and says locked only to the right one", async () => {
    const u = await newUser();
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) await attempt(u.email, "wrong-password");
    expect(await attempt(u.email, "another-wrong-password")).toEqual({
      ok: false,
      code: "INVALID_CREDENTIALS",
      message: INVALID,
    });
    expect(await attempt("nobody-at-all@keycenter.test", "another-wrong-password")).toEqual({
      ok: false,
      code: "INVALID_CREDENTIALS",
      message: INVALID,
    });
    const right = await attempt(u.email, PASSWORD);
    expect(right).toMatchObject({ ok: false, code: "LOCKED", message: expect.stringMatching(/locked/) });
    expect(await prisma.session.count({ where: { userId: u.id } })).toBe(0);
  });

  it("a disabled account answers a wrong password as any wrong password, and says disabled only to the right one", async () => {
    const u = await newUser();
    await prisma.user.update({ where: { id: u.id }, data: { disabled: true } });
    expect(await attempt(u.email, "wrong-password")).toEqual({
      ok: false,
      code: "INVALID_CREDENTIALS",
      message: INVALID,
    });
    expect(await attempt(u.email, PASSWORD)).toMatchObject({ ok: false, code: "DISABLED" });
    expect(await prisma.session.count({ where: { userId: u.id } })).toBe(0);
  });
});

describe("rate limits", () => {
  const TOO_MANY = /^Too many attempts\. Try again in \d+ minutes?\.$/;

  it("refuses sign-in attempts for one account beyond its limit, without checking the password", async () => {
    setLimitsForTests(createLimits({ rules: { "signIn.account": { points: 3, durationSeconds: 600 } } }));
    const u = await newUser();
    expect((await attempt(u.email, "wrong-1")).ok).toBe(false);
    expect((await attempt(u.email, PASSWORD)).ok).toBe(true); // a success clears the account's count
    for (let i = 0; i < 3; i++)
      expect(await attempt(u.email, `wrong-${i}`, `203.0.113.${i}`)).toMatchObject({ code: "INVALID_CREDENTIALS" });
    verifications.count = 0;
    const limited = await attempt(u.email, PASSWORD, "203.0.113.99");
    expect(limited).toEqual({ ok: false, code: "RATE_LIMITED", message: expect.stringMatching(TOO_MANY) });
    expect(limited.ok ? "" : limited.message).toBe("Too many attempts. Try again in 10 minutes.");
    expect(verifications.count).toBe(0);
  });

  it("refuses sign-in attempts from one address beyond its limit, whichever the account", async () => {
    setLimitsForTests(createLimits({ rules: { "signIn.ip": { points: 4, durationSeconds: 900 } } }));
    const ip = "192.0.2.44";
    const u = await newUser();
    // Successful sign-ins give their point back: only failures pile up.
    for (let i = 0; i < 6; i++) expect((await attempt(u.email, PASSWORD, ip)).ok).toBe(true);
    for (let i = 0; i < 4; i++) await attempt(`someone${i}@keycenter.test`, "guess", ip);
    expect(await attempt(u.email, PASSWORD, ip)).toMatchObject({
      code: "RATE_LIMITED",
      message: expect.stringMatching(TOO_MANY),
    });
    expect((await attempt(u.email, PASSWORD, "192.0.2.45")).ok).toBe(true);
  });

  it("limits second-factor codes per account and per address", async () => {
    setLimitsForTests(createLimits({ rules: { "secondFactor.account": { points: 2, durationSeconds: 600 } } }));
    const u = await newUser();
    await enroll(u);
    const signedIn = await attempt(u.email, PASSWORD);
    if (!signedIn.ok) throw new Error(signedIn.message);
    const pending = cookieOf(signedIn.setCookie);
    for (let i = 0; i < 2; i++)
      expect(await completeSecondFactor({ code: "000000", headers: pending, actor: {} })).toMatchObject({
        code: "INVALID_CODE",
      });
    expect(await completeSecondFactor({ code: await totp(u.id, 1), headers: pending, actor: {} })).toMatchObject({
      ok: false,
      code: "RATE_LIMITED",
      message: expect.stringMatching(TOO_MANY),
    });

    setLimitsForTests(createLimits({ rules: { "secondFactor.ip": { points: 1, durationSeconds: 600 } } }));
    const ip = { ip: "192.0.2.77" };
    expect(await completeSecondFactor({ code: "000000", headers: pending, actor: ip })).toMatchObject({
      code: "INVALID_CODE",
    });
    expect(await completeSecondFactor({ code: await totp(u.id, 1), headers: pending, actor: ip })).toMatchObject({
      code: "RATE_LIMITED",
    });
    expect(
      (await completeSecondFactor({ code: await totp(u.id, 1), headers: pending, actor: { ip: "192.0.2.78" } })).ok,
    ).toBe(true);
  });

  it("limits step-up attempts per account, with the message beside the field", async () => {
    setLimitsForTests(createLimits({ rules: { "stepUp.account": { points: 2, durationSeconds: 300 } } }));
    const u = await newUser();
    const signedIn = await attempt(u.email, PASSWORD);
    if (!signedIn.ok) throw new Error(signedIn.message);
    nextRequest.headers = cookieOf(signedIn.setCookie);
    expect((await security.verifyStepUpAction({ password: PASSWORD })).ok).toBe(true); // clears the count
    for (let i = 0; i < 2; i++)
      expect(await security.verifyStepUpAction({ password: "not-it" })).toMatchObject({
        error: { code: "INVALID_CREDENTIALS" },
      });
    verifications.count = 0;
    expect(await security.verifyStepUpAction({ password: PASSWORD })).toMatchObject({
      ok: false,
      error: { code: "RATE_LIMITED", fields: { password: "Too many attempts. Try again in 5 minutes." } },
    });
    expect(verifications.count).toBe(0);
  });
});

/** Signs in and turns the second factor on through the actions. */
async function enroll(u: { id: string; email: string }) {
  const signedIn = await attempt(u.email, PASSWORD);
  if (!signedIn.ok) throw new Error(signedIn.message);
  const headers = cookieOf(signedIn.setCookie);
  nextRequest.headers = headers;
  const started = await security.startMfaEnrollmentAction({});
  if (!started.ok) throw new Error(started.error.message);
  const confirmed = await security.confirmMfaEnrollmentAction({ code: await totp(u.id) });
  if (!confirmed.ok) throw new Error(confirmed.error.message);
  expect(await resolvePortalSession(headers)).not.toBeNull();
  return { headers };
}
