/**
 * Scale-out: two KeyCenter processes (A and B, `npm start` each, different ports) on one
 * PostgreSQL database, driven alternately. Everything that must hold across instances is in
 * the database: sessions, keys (no instance keeps a stale copy), meta-key assignments, the
 * expiry-alert job (delivered once with a runner in each), the shared rate limit, the sign-in
 * lockout, the JWT `jti` replay state. The portal is driven over HTTP as the browser drives it
 * (its server actions: sign in, create and delete a key, Edit Key, sign out) on one instance,
 * and each change is checked on the other at once.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { signJwt } from "@/lib/gateway/client";
import { createCertificateKey } from "@/lib/keys/certificate-keys";
import { createSharedSecretKey } from "@/lib/keys/secret-keys";
import { serviceContext } from "../helpers/fixtures";
import { MAX_FAILED_SIGN_INS } from "@/lib/auth/sign-in";
import { DEMO_PASSWORD } from "@/prisma/seed";
import { callServerAction, callServerActionWith, cookieHeader, serverActionId } from "../helpers/server-action";
import { type ServedApp, startServedApp } from "../helpers/served-app";
import { get, pay, PAYMENT, type Secret, seedWithKey, send, sleep } from "./support";

const require = createRequire(import.meta.url);
const cybersource = require("cybersource-rest-client");

const FAILURE_LIMIT = 6;
let a: ServedApp;
let b: ServedApp;
let key: Secret;

/** A payment by the official SDK (HTTP Signature) against `base`. */
function sdkPay(base: string, k: Secret): Promise<number> {
  const api = new cybersource.PaymentsApi(
    {
      runEnvironment: "apitest.cybersource.com",
      intermediateHost: base,
      logConfiguration: { enableLog: false },
      authenticationType: "http_signature",
      merchantID: "merchant12378",
      merchantKeyId: k.id,
      merchantsecretKey: k.secret,
    },
    new cybersource.ApiClient(),
  );
  return new Promise((resolve) =>
    api.createPayment(PAYMENT, (error: { status?: number } | null, _d: unknown, response: { status?: number }) =>
      resolve(response?.status ?? error?.status ?? 0),
    ),
  );
}

/**
 * A's and B's portals as the browser drives them: their server actions over HTTP
 * (tests/helpers/server-action.ts), signed in through the sign-in form's own action (a fresh
 * sign-in also counts as the step-up that changes need).
 */
const portal = {
  signIn: async (app: ServedApp, email: string, password: string, headers: Record<string, string> = {}) =>
    callServerAction(
      app.base,
      "/sign-in",
      await serverActionId("signInAction", "lib/actions/auth/sign-in.ts"),
      { email, password },
      headers,
    ),
  async session(app: ServedApp, email: string): Promise<string> {
    const answer = await portal.signIn(app, email, DEMO_PASSWORD);
    expect(answer.result).toMatchObject({ ok: true });
    return cookieHeader(answer.setCookie);
  },
  run: async (app: ServedApp, page: string, name: string, file: string, args: unknown[], cookie: string) =>
    callServerActionWith(app.base, page, await serverActionId(name, file), args, { cookie }),
};

describe("two instances on one database", () => {
  beforeAll(async () => {
    key = await seedWithKey();
    const env = {
      KEYCENTER_TRUSTED_PROXIES: "127.0.0.1",
      KEYCENTER_RATE_LIMITS: `gateway.ip=${FAILURE_LIMIT}/60`,
      KEYCENTER_ALERTS: "1",
      KEYCENTER_ALERTS_INTERVAL_MS: "1000",
    };
    [a, b] = await Promise.all([startServedApp({ env }), startServedApp({ env })]);
    expect(a.port).not.toBe(b.port);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("a session made through A's sign-in works on B, and signing out on B ends it on both", async () => {
    const answer = await portal.signIn(a, "merchant.admin@keycenter.test", DEMO_PASSWORD);
    expect(answer.result).toMatchObject({ ok: true });
    const cookie = cookieHeader(answer.setCookie);
    expect(cookie).toMatch(/session_token=/);
    // Warm: a fresh process's first render loads the page's code (seconds on a busy machine).
    for (const app of [a, b]) {
      for (let i = 0; i < 10 && (await get(`${app.base}/keys`, { cookie })).status !== 200; i++) await sleep(500);
    }
    for (const app of [a, b, a, b]) expect((await get(`${app.base}/keys`, { cookie })).status).toBe(200);
    await portal.run(b, "/dashboard", "signOutAction", "lib/actions/auth/sign-out.ts", [], cookie);
    for (const app of [a, b]) expect((await get(`${app.base}/keys`, { cookie })).status).not.toBe(200);
  });

  it("a key created on A's portal is used by the SDK on B at once; deleted on A's portal, both refuse it at once", async () => {
    expect(await sdkPay(a.base, key)).toBe(201);
    const cookie = await portal.session(a, "merchant.admin@keycenter.test");
    const created = await portal.run(
      a,
      "/keys/new",
      "createSharedSecretAction",
      "lib/actions/keys/create-shared-secret-key.ts",
      [{}],
      cookie,
    );
    expect(created.result).toMatchObject({ ok: true });
    const fresh = { id: String(created.result!.data!.keyId), secret: String(created.result!.data!.secret) };
    expect(await sdkPay(b.base, fresh)).toBe(201);
    expect(await sdkPay(a.base, fresh)).toBe(201);
    const deleted = await portal.run(
      a,
      "/keys",
      "deleteKeyAction",
      "lib/actions/keys/delete-key.ts",
      [{ keyId: fresh.id }],
      cookie,
    );
    expect(deleted.result).toMatchObject({ ok: true });
    expect(await sdkPay(b.base, fresh)).toBe(401);
    expect(await sdkPay(a.base, fresh)).toBe(401);
  });

  it("a meta-key assignment change made on A's Edit Key is obeyed by B's next request", async () => {
    const ctx = await serviceContext("portfolioabc", { meta: { scope: "CUSTOM", mids: ["merchant12378"] } });
    const s = await createSharedSecretKey({ ctx });
    const meta = { id: s.key.id, secret: s.secret };
    const as = (mid: string) => ({ merchant: mid, metaKeyOwner: "portfolioabc" });
    expect((await pay(a.base, meta, as("merchant12378"))).status).toBe(201);
    expect((await pay(b.base, meta, as("merchant12379"))).status).toBe(401);
    const cookie = await portal.session(a, "portfolio.admin@keycenter.test");
    const edited = await portal.run(
      a,
      `/keys/${encodeURIComponent(meta.id)}/edit`,
      "editMetaKeyAction",
      "lib/actions/keys/edit-meta-key.ts",
      [{ keyId: meta.id, edit: { meta: true, scope: "CUSTOM", add: ["merchant12379"], remove: ["merchant12378"] } }],
      cookie,
    );
    expect(edited.result).toMatchObject({ ok: true });
    expect((await pay(b.base, meta, as("merchant12379"))).status).toBe(201);
    expect((await pay(a.base, meta, as("merchant12378"))).status).toBe(401);
    expect((await pay(b.base, meta, as("merchant12378"))).status).toBe(401);
    expect((await pay(a.base, meta, as("merchant12379"))).status).toBe(201);
  });

  it("the gateway's failure limit per address is shared: failures on A and B add up, both then answer 429", async () => {
    const bad = { id: key.id, secret: Buffer.alloc(32, 3).toString("base64") };
    const from = { headers: { "x-forwarded-for": "203.0.113.77" } };
    const statuses: number[] = [];
    for (let i = 0; i < FAILURE_LIMIT + 2; i++) statuses.push((await pay(i % 2 ? b.base : a.base, bad, from)).status);
    expect(statuses.slice(0, FAILURE_LIMIT)).toEqual(Array(FAILURE_LIMIT).fill(401));
    expect(statuses.slice(FAILURE_LIMIT)).toEqual([429, 429]);
    // Another address is not affected, on either.
    expect((await pay(a.base, key, { headers: { "x-forwarded-for": "203.0.113.78" } })).status).toBe(201);
    expect((await pay(b.base, key, { headers: { "x-forwarded-for": "203.0.113.78" } })).status).toBe(201);
  });

  it("sign-in lockout holds across both: failures on A and B add up, then the right password is refused as locked on each", async () => {
    const email = "merchant.viewer@keycenter.test";
    const attempt = (app: ServedApp, password: string) =>
      portal.signIn(app, email, password, { "x-forwarded-for": "203.0.113.90" });
    const code = (body: string) => /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? (/"ok":true/.test(body) ? "OK" : body);

    // Signing in works on both, over HTTP (a session cookie each time).
    for (const app of [a, b]) {
      const ok = await attempt(app, DEMO_PASSWORD);
      expect(code(ok.body)).toBe("OK");
      expect(ok.setCookie.join(";")).toMatch(/session_token=/);
    }
    // MAX_FAILED_SIGN_INS wrong passwords, A and B in turn: neither instance alone saw that many.
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) {
      const r = await attempt(i % 2 ? b : a, "not-the-password-1");
      expect(r.status).toBe(200);
      expect(code(r.body)).toBe("INVALID_CREDENTIALS");
    }
    // Locked for both: the right password signs in on neither; the session cookie is only
    // expired (empty), never set.
    for (const app of [b, a]) {
      const locked = await attempt(app, DEMO_PASSWORD);
      expect(code(locked.body)).toBe("LOCKED");
      expect(locked.setCookie.join("\n")).not.toMatch(/session_token=[^;]/);
    }
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    expect(user.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
  });

  it("a JWT accepted by A is refused as a replay by B (the jti is shared)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kc-rel-p12-"));
    try {
      const password = "reliability-p12";
      const { p12 } = await createCertificateKey({
        ctx: await serviceContext("merchant12378"),
        type: "REST_CERTIFICATE",
        password,
      });
      writeFileSync(path.join(dir, "merchant12378.p12"), p12);
      const signedFor = (base: string) =>
        signJwt({
          host: new URL(base).host,
          path: "/pts/v2/payments",
          body: JSON.stringify(PAYMENT),
          merchantId: "merchant12378",
          p12,
          password,
        });
      // The same request, token and all (one jti), to A and then to B.
      const req = await signedFor(a.base);
      expect((await send(a.base, req)).status).toBe(201);
      const replay = await send(b.base, req);
      expect(replay.status).toBe(401);
      expect(replay.body).not.toMatch(/AUTHORIZED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an expiry alert is delivered exactly once with an alert runner in each instance", async () => {
    const orgId = `rel_${randomUUID().slice(0, 8)}`;
    await prisma.organization.create({ data: { id: orgId, name: "Reliability Inc", type: "MERCHANT" } });
    await prisma.user.create({
      data: { id: randomUUID(), email: `${orgId}@example.test`, name: "Ada", orgId, roleId: "role_administrator" },
    });
    const keyId = `rel-alert-${orgId}`;
    await prisma.key.create({
      data: {
        id: keyId,
        type: "PGP",
        environment: "TEST",
        orgId,
        name: "Expiring",
        expiresAt: new Date(Date.now() + 5 * 86_400_000),
      },
    });
    // Both runners scan and deliver every second.
    const deadline = Date.now() + 30_000;
    const done = async () =>
      (await prisma.alertDelivery.count({ where: { alert: { keyId }, status: { not: "PENDING" } } })) >= 2;
    while (!(await done()) && Date.now() < deadline) await sleep(500);
    await sleep(3_000); // more runs of both: nothing more may go out
    const alerts = await prisma.expiryAlert.findMany({ where: { keyId }, include: { deliveries: true } });
    expect(alerts).toHaveLength(1);
    const deliveries = alerts[0]!.deliveries;
    expect(deliveries.map((d) => [d.channel, d.status, d.attempts]).sort()).toEqual([
      ["EMAIL", "SENT", 1],
      ["IN_APP", "SENT", 1],
    ]);
    expect(await prisma.notification.count({ where: { keyId } })).toBe(1);
    expect(await prisma.outboxEmail.count({ where: { orgId } })).toBe(1);
  });
});
