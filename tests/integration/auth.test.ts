import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { AuthorizationError, hasPermission, requirePermission, resolvePortalSession } from "@/lib/auth/session";
import { LOCKOUT_MINUTES, MAX_FAILED_SIGN_INS, signInWithPassword, signOut } from "@/lib/auth/sign-in";
import { serviceContext } from "@/lib/context";
import { DEFAULT_FILTERS, searchKeys } from "@/lib/keys/search";
import { createSharedSecretKey } from "@/lib/keys/secret-keys";
import { switchActingOrg, switchEnvironment } from "@/lib/orgs/switch";
import { seed, sessionOf, signedInHeaders } from "../helpers/fixtures";

const attempt = (email: string, password: string) =>
  signInWithPassword({ email, password, headers: new Headers(), actor: { ip: "127.0.0.1" } });

describe("sign-in", () => {
  beforeAll(seed);

  it("signs in with the demo password and resolves the session to the user's org", async () => {
    const session = await sessionOf("portfolio.admin@keycenter.test");
    expect(session.user.email).toBe("portfolio.admin@keycenter.test");
    expect(session.actingOrg.id).toBe("portfolioabc");
    expect(session.environment).toBe("TEST");
    const stored = await prisma.session.findUniqueOrThrow({ where: { id: session.sessionId } });
    expect(stored.userId).toBe(session.user.id);
  });

  it("refuses a wrong password without saying which field was wrong, and audits it", async () => {
    const wrongPassword = await attempt("merchant.admin@keycenter.test", "not-the-password");
    const unknownUser = await attempt("nobody@keycenter.test", "not-the-password");
    expect(wrongPassword).toEqual({ ok: false, code: "INVALID_CREDENTIALS", message: expect.any(String) });
    expect(unknownUser).toEqual(wrongPassword);
    const failures = await prisma.auditEvent.findMany({ where: { action: "auth.sign_in", result: "failure" } });
    expect(failures.map((f) => f.actorEmail)).toEqual(
      expect.arrayContaining(["merchant.admin@keycenter.test", "nobody@keycenter.test"]),
    );
  });

  it(`locks the account after ${MAX_FAILED_SIGN_INS} failures, even for the right password`, async () => {
    const email = "account.admin@keycenter.test";
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) await attempt(email, "wrong-password-123");
    const locked = await attempt(email, "KeyCenter-demo-1");
    expect(locked.ok).toBe(false);
    if (!locked.ok) {
      expect(locked.code).toBe("LOCKED");
      expect(locked.message).toMatch(new RegExp(`${LOCKOUT_MINUTES} minutes`));
    }
    await prisma.user.update({ where: { email }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await attempt(email, "KeyCenter-demo-1")).ok).toBe(true);
  });

  it("refuses a disabled user, and a disabled user's existing session stops resolving", async () => {
    const headers = await signedInHeaders("merchant.viewer@keycenter.test");
    expect(await resolvePortalSession(headers)).not.toBeNull();
    await prisma.user.update({ where: { email: "merchant.viewer@keycenter.test" }, data: { disabled: true } });
    expect(await resolvePortalSession(headers)).toBeNull();
    const outcome = await attempt("merchant.viewer@keycenter.test", "KeyCenter-demo-1");
    expect(outcome.ok).toBe(false);
    await prisma.user.update({ where: { email: "merchant.viewer@keycenter.test" }, data: { disabled: false } });
  });

  it("signs out: the session row is gone and the cookie no longer resolves", async () => {
    const headers = await signedInHeaders("merchant.admin@keycenter.test");
    const session = await resolvePortalSession(headers);
    expect(session).not.toBeNull();
    await signOut(headers);
    expect(await resolvePortalSession(headers)).toBeNull();
    expect(await prisma.session.findUnique({ where: { id: session!.sessionId } })).toBeNull();
  });

  it("treats a request without a cookie as signed out", async () => {
    expect(await resolvePortalSession(new Headers())).toBeNull();
  });
});

describe("authorization helper", () => {
  beforeAll(seed);

  it("refuses a permission the role lacks, and grants what it has", async () => {
    const viewer = await sessionOf("merchant.viewer@keycenter.test");
    expect(hasPermission(viewer, "keys.view")).toBe(true);
    expect(hasPermission(viewer, "keys.create")).toBe(false);
    expect(() => requirePermission(viewer, "keys.create")).toThrow(AuthorizationError);
    expect(() => requirePermission(viewer, "keys.view")).not.toThrow();
  });

  it("refuses an org outside the caller's scope, whatever the permission", async () => {
    const merchantAdmin = await sessionOf("merchant.admin@keycenter.test");
    const other = await prisma.organization.findUniqueOrThrow({ where: { id: "merchant12379" } });
    expect(() => requirePermission(merchantAdmin, "keys.view", { org: other })).toThrow(/cannot act for/);
    const initech = await prisma.organization.findUniqueOrThrow({ where: { id: "initech01" } });
    const portfolioAdmin = await sessionOf("portfolio.admin@keycenter.test");
    expect(() => requirePermission(portfolioAdmin, "keys.view", { org: initech })).toThrow(AuthorizationError);
    expect(() => requirePermission(portfolioAdmin, "keys.view", { org: other })).not.toThrow();
  });

  it("refuses everything when signed out", () => {
    expect(() => requirePermission(null, null)).toThrow(expect.objectContaining({ code: "UNAUTHENTICATED" }));
  });
});

describe("Switch merchant", () => {
  beforeAll(seed);

  it("lets a portfolio user act for merchant12378 and back, audited", async () => {
    const headers = await signedInHeaders("portfolio.admin@keycenter.test");
    const before = (await resolvePortalSession(headers))!;
    await switchActingOrg(before, "merchant12378");
    const after = (await resolvePortalSession(headers))!;
    expect(after.actingOrg.id).toBe("merchant12378");
    expect(after.userOrg.id).toBe("portfolioabc");
    const audit = await prisma.auditEvent.findFirst({
      where: { action: "auth.switch_merchant", targetId: "merchant12378" },
    });
    expect(audit?.actorEmail).toBe("portfolio.admin@keycenter.test");
    await switchActingOrg(after, "portfolioabc");
    expect((await resolvePortalSession(headers))!.actingOrg.id).toBe("portfolioabc");
  });

  it("switches the session to Production and back: keys are made and found in the session's environment, audited", async () => {
    const headers = await signedInHeaders("merchant.admin@keycenter.test");
    const test = (await resolvePortalSession(headers))!;
    expect(test.environment).toBe("TEST");
    await switchEnvironment(test, "PRODUCTION");
    const production = (await resolvePortalSession(headers))!;
    expect(production.environment).toBe("PRODUCTION");
    const { key } = await createSharedSecretKey({ ctx: serviceContext(production) });
    expect(key.environment).toBe("PRODUCTION");
    const find = (environment: "TEST" | "PRODUCTION") =>
      searchKeys({ orgId: "merchant12378", environment, filters: { ...DEFAULT_FILTERS, keyId: key.id } });
    expect((await find("PRODUCTION")).total).toBe(1);
    expect((await find("TEST")).total).toBe(0);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "auth.switch_environment", targetId: test.sessionId },
    });
    expect(audit.details).toEqual({ from: "TEST", to: "PRODUCTION" });
    await switchEnvironment(production, "TEST");
    expect((await resolvePortalSession(headers))!.environment).toBe("TEST");
    // Another session of the same person is not moved.
    expect((await resolvePortalSession(await signedInHeaders("merchant.admin@keycenter.test")))!.environment).toBe(
      "TEST",
    );
  });

  it("ignores a stored acting org outside the user's scope", async () => {
    const headers = await signedInHeaders("account.admin@keycenter.test");
    const session = (await resolvePortalSession(headers))!;
    await prisma.session.update({ where: { id: session.sessionId }, data: { actingOrgId: "merchant45601" } });
    expect((await resolvePortalSession(headers))!.actingOrg.id).toBe("acme_acct");
  });
});
