/**
 * The authorization matrix: every server action and every route handler, found from the
 * code (so a new one cannot be forgotten), called as five kinds of caller against the
 * resources of merchant12378. Expected results are the one table below. Zero leaks.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
const { nextRequest } = await import("../helpers/next-request");

const { prisma } = await import("@/lib/db");
const { resolvePortalSession } = await import("@/lib/auth/session");
const { switchActingOrg } = await import("@/lib/orgs/switch");
const { seed, signedInHeaders } = await import("../helpers/fixtures");
const { files, serverActionFiles, serverActions } = await import("../helpers/server-actions");
const { createUser } = await import("@/prisma/seed");
const { describeAction } = await import("@/lib/actions/define-action");
const { STEP_UP_REQUIRED } = await import("@/lib/action-result");
const { GRANT_REFUSED, MANAGE_REFUSED, EDIT_ROLE_REFUSED } = await import("@/lib/auth/grants");

type Caller = "signedOut" | "unrelated" | "withoutPermission" | "withPermission" | "parentActingFor";
const CALLERS: Caller[] = ["signedOut", "unrelated", "withoutPermission", "withPermission", "parentActingFor"];
/** allow: the check lets it through; deny: UNAUTHENTICATED/FORBIDDEN/NOT_FOUND; own: runs, but only for the caller's own org. */
type Expect = "allow" | "deny" | "own";

const TARGET = "merchant12378";
const DAY = 86_400_000;
let seq = 0;
async function keyOf(orgId: string, type: "PGP" | "REST_SHARED_SECRET" = "PGP", meta = false) {
  const id = `matrix-${++seq}`;
  await prisma.key.create({
    data: {
      id,
      type,
      environment: "TEST",
      orgId,
      name: id,
      expiresAt: new Date(Date.now() + 100 * DAY),
      metaScope: meta ? "ALL" : null,
    },
  });
  return id;
}

async function roleOf(orgId: string) {
  return (await prisma.role.create({ data: { name: `role ${++seq}`, orgId, permissions: [] } })).id;
}

/** Every action, its inputs (made fresh per call) and who may run it. */
const standard = {
  signedOut: "deny",
  unrelated: "deny",
  withoutPermission: "deny",
  withPermission: "allow",
  parentActingFor: "allow",
} as const;
const ownOrg = { ...standard, unrelated: "own" } as const;
const anyone = {
  signedOut: "deny",
  unrelated: "allow",
  withoutPermission: "allow",
  withPermission: "allow",
  parentActingFor: "allow",
} as const;
const TABLE: Record<string, { input: () => Promise<unknown> | unknown; expect: Record<Caller, Expect> }> = {
  // (portal) shell
  searchMerchants: { input: () => ({ query: "" }), expect: anyone },
  switchMerchant: { input: () => ({ orgId: TARGET }), expect: { ...anyone, unrelated: "deny" } },
  // To the environment the sessions are in already: a switch would move the rest of the matrix.
  switchEnvironmentAction: { input: () => ({ environment: "TEST" }), expect: anyone },
  // keys
  deactivateKeyAction: { input: async () => ({ keyId: await keyOf(TARGET) }), expect: standard },
  deleteKeyAction: { input: async () => ({ keyId: await keyOf(TARGET) }), expect: standard },
  setKeyCustodianAction: { input: async () => ({ keyId: await keyOf(TARGET), custodianId: "" }), expect: standard },
  createSharedSecretAction: { input: () => ({}), expect: ownOrg },
  createSecureAcceptanceAction: {
    input: () => ({
      name: "m",
      signatureVersion: "1",
      signatureMethod: "HMAC-SHA256",
      securityProfileId: "PRF-12378-WEB",
    }),
    expect: ownOrg,
  },
  createPublicKeyAction: { input: () => ({ type: "TOKEN_MANAGEMENT_MLE", publicKey: "not a key" }), expect: ownOrg },
  createP12KeyAction: {
    input: () => ({ type: "SIMPLE_ORDER", password: "Correct-Horse-42", confirmPassword: "Correct-Horse-42" }),
    expect: ownOrg,
  },
  createFromPemAction: { input: () => ({ type: "REST_CERTIFICATE", pem: "not a csr" }), expect: ownOrg },
  searchMidsAction: { input: () => ({ filter: {}, page: 1 }), expect: ownOrg },
  editMetaKeyAction: {
    input: async () => ({
      keyId: await keyOf("acme_acct", "REST_SHARED_SECRET", true),
      edit: { meta: true, scope: "ALL" },
    }),
    // The key belongs to acme_acct: the merchant's own admin has no say over it.
    expect: { ...standard, withPermission: "deny" },
  },
  listAssignmentsAction: {
    input: async () => ({ keyId: await keyOf("acme_acct", "REST_SHARED_SECRET", true), page: 1 }),
    expect: { ...standard, withPermission: "deny" },
  },
  coverageTreeAction: {
    input: async () => ({ keyId: await keyOf("acme_acct", "REST_SHARED_SECRET", true), account: "acme_acct", page: 1 }),
    expect: { ...standard, withPermission: "deny" },
  },
  // account management
  createUserAction: {
    input: () => ({
      email: `m${++seq}@keycenter.test`,
      name: "M",
      orgId: TARGET,
      roleId: "role_viewer",
    }),
    expect: standard,
  },
  resendInvitationAction: {
    input: async () => ({
      userId: await createUser(
        prisma,
        { email: `i${++seq}@keycenter.test`, name: "I", orgId: TARGET, roleId: "role_viewer" },
        null,
      ),
    }),
    expect: standard,
  },
  setUserRoleAction: {
    input: async () => ({
      userId: await createUser(
        prisma,
        { email: `c${++seq}@keycenter.test`, name: "C", orgId: TARGET, roleId: "role_viewer" },
        "Welcome-to-KeyCenter-9",
      ),
      roleId: "role_viewer",
    }),
    expect: standard,
  },
  setUserDisabledAction: {
    input: async () => {
      const id = await createUser(
        prisma,
        { email: `d${++seq}@keycenter.test`, name: "D", orgId: TARGET, roleId: "role_viewer" },
        "Welcome-to-KeyCenter-9",
      );
      return { userId: id, disabled: true };
    },
    expect: standard,
  },
  createRoleAction: { input: () => ({ name: `Role ${++seq}`, description: "", permissions: [] }), expect: ownOrg },
  // A custom role of merchant12378: its admin may change it; the parent's admin, acting for
  // the MID, manages the roles of its own org (not this one's); strangers may not.
  updateRoleAction: {
    input: async () => ({ roleId: await roleOf(TARGET), name: `R ${++seq}`, description: "", permissions: [] }),
    expect: { ...standard, parentActingFor: "deny" },
  },
  deleteRoleAction: {
    input: async () => ({ roleId: await roleOf(TARGET) }),
    expect: { ...standard, parentActingFor: "deny" },
  },
  setMetaKeysEnabledAction: { input: () => ({ enabled: true }), expect: ownOrg },
  // Turning it off (a no-op here): turning it on would send merchant.admin to enrollment mid-matrix.
  setRequireMfaAction: { input: () => ({ required: false }), expect: ownOrg },
  // expiry alerts (B2): the acting org's notifications and its webhook
  markAllNotificationsReadAction: { input: () => ({}), expect: ownOrg },
  markNotificationReadAction: {
    input: async () => ({
      id: (await prisma.notification.create({ data: { orgId: TARGET, title: "t", body: "b" } })).id,
    }),
    expect: ownOrg,
  },
  checkExpiringKeysNowAction: { input: () => ({}), expect: ownOrg },
  // Port 9 refuses at once: the test event fails without leaving the machine.
  saveWebhookUrlAction: { input: () => ({ url: "http://127.0.0.1:9/matrix" }), expect: ownOrg },
  generateWebhookSecretAction: { input: () => ({}), expect: ownOrg },
  sendTestWebhookAction: { input: () => ({}), expect: ownOrg },
  removeWebhookAction: { input: () => ({}), expect: ownOrg },
  verifyChainAction: { input: () => ({}), expect: ownOrg },
  // Signs with credentials the caller types and sends to the gateway, which checks the key.
  sendLiveConsoleAction: {
    input: () => ({ authType: "http_signature", merchantId: TARGET, keyId: "k", sharedSecret: "c2VjcmV0", body: "{}" }),
    expect: ownOrg,
  },
  // Live Console → MLE Configuration → Update Credentials: checks what the caller typed, stores nothing.
  checkResponseMleAction: { input: () => ({ merchantId: TARGET, responseMleKeyId: "k" }), expect: ownOrg },
  // the signed-in person's own security (second factor, sessions, step-up): no permission needed
  startMfaEnrollmentAction: { input: () => ({}), expect: anyone },
  confirmMfaEnrollmentAction: { input: () => ({ code: "000000" }), expect: anyone },
  verifyStepUpAction: { input: () => ({ password: "KeyCenter-demo-1" }), expect: anyone },
  // A spare session of merchant.admin's: only merchant.admin may end it.
  endSessionAction: {
    input: async () => {
      const user = await prisma.user.findUniqueOrThrow({ where: { email: "merchant.admin@keycenter.test" } });
      const id = `matrix-session-${++seq}`;
      await prisma.session.create({
        data: { id, token: id, userId: user.id, expiresAt: new Date(Date.now() + DAY), verifiedAt: new Date() },
      });
      return { sessionId: id };
    },
    expect: { ...standard, parentActingFor: "deny" },
  },
  resetSecondFactorAction: {
    input: async () => ({
      userId: await createUser(
        prisma,
        { email: `r${++seq}@keycenter.test`, name: "R", orgId: TARGET, roleId: "role_viewer" },
        "Welcome-to-KeyCenter-9",
      ),
    }),
    expect: standard,
  },
  // Signs checkout fields with the access key and secret key typed in; stores nothing.
  signCheckoutAction: {
    input: () => ({
      accessKey: "0".repeat(32),
      secretKey: "s",
      profileId: "PRF-12378-WEB",
      amount: "1.00",
      currency: "USD",
      referenceNumber: "r",
      transactionType: "sale",
    }),
    expect: ownOrg,
  },
};
/** Actions outside defineAction, checked by their own tests. */
const SEPARATELY_TESTED = new Set([
  "signInAction",
  "verifySignInCodeAction",
  "signOutAction",
  // Signed out by nature: the first-run set-up (refused once any user exists) in
  // tests/integration/first-run.test.ts; accepting an invitation (refused for a bad, expired
  // or used token) in tests/integration/invitations.test.ts.
  "setupAction",
  "acceptInvitationAction",
]);

/** A public route: everyone gets it, signed in or not. */
const EVERYONE: Record<Caller, number[]> = {
  signedOut: [200],
  unrelated: [200],
  withoutPermission: [200],
  withPermission: [200],
  parentActingFor: [200],
};

const ROUTES: Record<string, Record<Caller, number[]>> = {
  "app/api/health/route.ts": {
    signedOut: [200],
    unrelated: [200],
    withoutPermission: [200],
    withPermission: [200],
    parentActingFor: [200],
  },
  // What the instance is (version, mode, switches), no secrets: public like the health check.
  "app/api/info/route.ts": {
    signedOut: [200],
    unrelated: [200],
    withoutPermission: [200],
    withPermission: [200],
    parentActingFor: [200],
  },
  // The Key Management API's reference (lib/kms/api-docs.ts) and Swagger UI's files: public
  // documentation, like the OpenAPI document it renders (GET /kms/v2/openapi.json, below).
  "app/api/docs/route.ts": EVERYONE,
  "app/api/docs/swagger-ui.css/route.ts": EVERYONE,
  "app/api/docs/swagger-ui-bundle.js/route.ts": EVERYONE,
  "app/(portal)/audit/export/route.ts": {
    signedOut: [401],
    unrelated: [200],
    withoutPermission: [403],
    withPermission: [200],
    parentActingFor: [200],
  },
  // Without filters: the caller's own org's keys (an unrelated caller gets its own, empty-of-TARGET list).
  "app/(portal)/keys/export/route.ts": {
    signedOut: [401],
    unrelated: [200],
    withoutPermission: [403],
    withPermission: [200],
    parentActingFor: [200],
  },
  // Without filters: the acting org's transactions (an unrelated caller gets its own org's).
  "app/(portal)/transactions/export/route.ts": {
    signedOut: [401],
    unrelated: [200],
    withoutPermission: [403],
    withPermission: [200],
    parentActingFor: [200],
  },
  // Called here without a report ID: the permission gate only (401/403, else 404). The org
  // scope of real reports is covered by tests/integration/reports.test.ts.
  "app/(portal)/reports/[reportId]/download/route.ts": {
    signedOut: [401],
    unrelated: [404],
    withoutPermission: [403],
    withPermission: [404],
    parentActingFor: [404],
  },
};

/**
 * Route handlers authenticated by a key and a signature, not a session; their own tests cover
 * every refusal: the REST gateway (tests/integration/gateway.test.ts), the Secure Acceptance
 * checkout (secure-acceptance.test.ts) and the Simple Order API / SOAP Toolkit endpoint
 * (simple-order.test.ts).
 */
const KEY_AUTHENTICATED = ["app/pts/", "app/pay/", "app/commerce/1.x/transactionProcessor/"];

const headersFor: Record<Caller, () => Promise<Headers>> = {} as never;

describe("authorization matrix", () => {
  beforeAll(async () => {
    await seed();
    await prisma.role.create({ data: { id: "role_nothing", name: "Nothing", orgId: TARGET, permissions: [] } });
    await createUser(
      prisma,
      { email: "nothing@keycenter.test", name: "N", orgId: TARGET, roleId: "role_nothing" },
      "Welcome-to-KeyCenter-9",
    );
    const parent = await signedInHeaders("portfolio.admin@keycenter.test");
    await switchActingOrg((await resolvePortalSession(parent))!, TARGET);
    const fixed: Record<Caller, Headers> = {
      signedOut: new Headers(),
      unrelated: await signedInHeaders("initech.admin@keycenter.test"),
      withoutPermission: await signedInHeaders("nothing@keycenter.test", "Welcome-to-KeyCenter-9"),
      withPermission: await signedInHeaders("merchant.admin@keycenter.test"),
      parentActingFor: parent,
    };
    for (const c of CALLERS) headersFor[c] = async () => fixed[c];
  });

  const actionFiles = serverActionFiles();

  it("has an expectation for every exported server action", async () => {
    const found: string[] = [];
    for (const f of actionFiles) {
      const mod = await import(path.resolve(f));
      found.push(...Object.keys(mod).filter((k) => typeof mod[k] === "function"));
    }
    expect(found.filter((n) => !(n in TABLE) && !SEPARATELY_TESTED.has(n))).toEqual([]);
    expect(Object.keys(TABLE).filter((n) => !found.includes(n))).toEqual([]);
  });

  it("has an expectation for every route handler", () => {
    const routes = files("app", "route.ts").map((f) => f.split(path.sep).join("/"));
    expect(routes.filter((r) => !(r in ROUTES) && !KEY_AUTHENTICATED.some((p) => r.startsWith(p)))).toEqual([]);
  });

  it("the Simple Order endpoint answers every caller by the request's WS-Security, never by the session", async () => {
    const { POST } = await import(path.resolve("app/commerce/1.x/transactionProcessor/route.ts"));
    const unsigned =
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
      `<requestMessage xmlns="urn:schemas-cybersource-com:transaction-data-1.219"><merchantID>${TARGET}</merchantID>` +
      `<merchantReferenceCode>m</merchantReferenceCode></requestMessage></soap:Body></soap:Envelope>`;
    for (const caller of CALLERS) {
      const headers = new Headers(await headersFor[caller]());
      headers.set("content-type", "text/xml");
      const res: Response = await POST(
        new Request("http://localhost/commerce/1.x/transactionProcessor", { method: "POST", headers, body: unsigned }),
      );
      const text = await res.text();
      expect({ caller, status: res.status, refused: text.includes("wsse:FailedAuthentication") }).toEqual({
        caller,
        status: 500,
        refused: true,
      });
    }
  });

  it("the Key Management API's OpenAPI document (GET /kms/v2/openapi.json) is public: every caller gets the same", async () => {
    const { kmsHandler, kmsOpenApi } = await import("@/lib/kms/http");
    const server = createServer(kmsHandler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const expected = JSON.parse(JSON.stringify(await kmsOpenApi()));
      for (const caller of CALLERS) {
        const res = await fetch(`http://127.0.0.1:${port}/kms/v2/openapi.json`, {
          headers: await headersFor[caller](),
        });
        expect({ caller, status: res.status, body: await res.json() }).toEqual({ caller, status: 200, body: expected });
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  for (const caller of CALLERS) {
    it(`server actions as ${caller}`, async () => {
      const leaks: string[] = [];
      for (const f of actionFiles) {
        const mod = await import(path.resolve(f));
        for (const [name, fn] of Object.entries(mod)) {
          const row = TABLE[name];
          if (!row || typeof fn !== "function") continue;
          nextRequest.headers = await headersFor[caller]();
          const keysBefore = await prisma.key.count({ where: { orgId: TARGET } });
          const result = (await (fn as (i: unknown) => Promise<{ ok: boolean; error?: { code: string } }>)(
            await row.input(),
          )) ?? {
            ok: true,
          };
          const denied = !result.ok && ["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"].includes(result.error!.code);
          const want = row.expect[caller];
          if (want === "deny" && !denied)
            leaks.push(`${name}: expected deny, got ${JSON.stringify(result).slice(0, 120)}`);
          if (want === "allow" && denied) leaks.push(`${name}: expected allow, got ${result.error!.code}`);
          if (want === "own") {
            if (caller === "unrelated" && (await prisma.key.count({ where: { orgId: TARGET } })) !== keysBefore) {
              leaks.push(`${name}: an unrelated caller changed ${TARGET}'s keys`);
            }
          }
        }
      }
      expect(leaks).toEqual([]);
    });

    it(`route handlers as ${caller}`, async () => {
      for (const [file, expected] of Object.entries(ROUTES)) {
        nextRequest.headers = await headersFor[caller]();
        const mod = await import(path.resolve(file));
        const res: Response = await mod.GET(new Request("http://localhost/x", { headers: nextRequest.headers }));
        expect({ file, status: res.status }).toEqual({
          file,
          status: expect.toSatisfy((s: number) => expected[caller].includes(s)),
        });
      }
    });
  }
});

/**
 * The step-up matrix (DESIGN.md: every mutating action needs a fresh authentication). Every
 * server action is run by a caller allowed to run it whose last verification is older than
 * the step-up window: an action declared "change" must answer STEP_UP_REQUIRED and change
 * nothing; any other must not be refused for step-up, and must leave people, roles, role
 * assignments, org settings, webhooks and keys exactly as they were, so an action that
 * changes them without declaring it fails here.
 */
describe("step-up matrix", () => {
  const stale: Partial<Record<Caller, { headers: Headers; sessionId: string }>> = {};
  /** Last verified ten minutes ago (again before every call: Confirm it's you itself renews it). */
  const staleAgain = (sessionId: string) =>
    prisma.session.update({ where: { id: sessionId }, data: { verifiedAt: new Date(Date.now() - 10 * 60_000) } });

  /** People, roles, role assignments, org settings (webhooks included), keys and meta-key assignments. */
  async function protectedState() {
    const [row] = await prisma.$queryRaw<{ state: string }[]>`
      SELECT md5(concat_ws('|',
        (SELECT string_agg(concat_ws(',', id, email, "orgId", "roleId", disabled, "twoFactorEnabled"), ';' ORDER BY id) FROM users),
        (SELECT string_agg(concat_ws(',', id, password), ';' ORDER BY id) FROM accounts),
        (SELECT string_agg(concat_ws(',', id, name, description, permissions::text, "orgId"), ';' ORDER BY id) FROM roles),
        (SELECT string_agg(s::text, ';' ORDER BY s::text) FROM org_settings s),
        (SELECT string_agg(concat_ws(',', id, "orgId", "deactivatedAt", "deletedAt", "custodianId", "metaScope"), ';' ORDER BY id) FROM keys),
        (SELECT string_agg(concat_ws(',', "keyId", mid), ';' ORDER BY "keyId", mid) FROM meta_key_assignments)
      )) AS state`;
    return row!.state;
  }

  beforeAll(async () => {
    for (const caller of ["withPermission", "parentActingFor"] as const) {
      const email = caller === "withPermission" ? "merchant.admin@keycenter.test" : "portfolio.admin@keycenter.test";
      const headers = await signedInHeaders(email);
      const session = (await resolvePortalSession(headers))!;
      if (caller === "parentActingFor") await switchActingOrg(session, TARGET);
      stale[caller] = { headers, sessionId: session.sessionId };
    }
  });

  it("every server action declares its effect through defineAction", async () => {
    const actionFiles = serverActionFiles();
    const undeclared: string[] = [];
    for (const f of actionFiles) {
      const mod = await import(path.resolve(f));
      for (const [name, fn] of Object.entries(mod)) {
        if (typeof fn === "function" && !SEPARATELY_TESTED.has(name) && !describeAction(fn)) undeclared.push(name);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it("a stale session is asked to step up for every change, and nothing else changes anything protected", async () => {
    const actionFiles = serverActionFiles();
    const wrong: string[] = [];
    let changes = 0;
    for (const f of actionFiles) {
      const mod = await import(path.resolve(f));
      for (const [name, fn] of Object.entries(mod)) {
        const row = TABLE[name];
        const meta = describeAction(fn);
        if (!row || !meta) continue;
        const caller = (["withPermission", "parentActingFor"] as const).find((c) => row.expect[c] === "allow");
        if (!caller) {
          wrong.push(`${name}: no caller in the table may run it`);
          continue;
        }
        nextRequest.headers = stale[caller]!.headers;
        await staleAgain(stale[caller]!.sessionId);
        const input = await row.input();
        const before = await protectedState();
        const result = (await (fn as (i: unknown) => Promise<{ ok: boolean; error?: { code: string } }>)(input)) ?? {
          ok: true,
        };
        const after = await protectedState();
        const askedToStepUp = !result.ok && result.error!.code === STEP_UP_REQUIRED;
        if (meta.effect === "change") {
          changes++;
          if (!askedToStepUp)
            wrong.push(`${name}: a change ran without step-up: ${JSON.stringify(result).slice(0, 120)}`);
        } else if (askedToStepUp) {
          wrong.push(`${name}: declared "${meta.effect}" but asked for step-up`);
        }
        if (before !== after)
          wrong.push(`${name}: declared "${meta.effect}" and changed protected data with a stale session`);
      }
    }
    expect(wrong).toEqual([]);
    expect(changes).toBeGreaterThanOrEqual(20);
  });
});

/**
 * Nobody grants what they do not hold (DESIGN.md): a delegate whose custom role holds only
 * Manage users, Manage roles and the Viewer's two permissions, at the MID and at the account
 * above it, through the real server actions.
 */
describe("grants: nobody gives what they do not hold", () => {
  const DELEGATE_PERMISSIONS = ["users.manage", "roles.manage", "keys.view", "transactions.view"];
  let midDelegate: Headers;
  let accountDelegate: Headers;
  let delegateRoleId: string;

  type Result = {
    ok: boolean;
    data?: unknown;
    error?: { code: string; message: string; fields?: Record<string, string> };
  };
  async function as(headers: Headers, name: string, input: unknown): Promise<Result> {
    nextRequest.headers = headers;
    const action = (await serverActions()).get(name);
    if (!action) throw new Error(`No server action ${name}`);
    return action(input) as Promise<Result>;
  }
  const viewer = (orgId = TARGET) =>
    createUser(
      prisma,
      { email: `g${++seq}@keycenter.test`, name: "G", orgId, roleId: "role_viewer" },
      "Welcome-to-KeyCenter-9",
    );

  beforeAll(async () => {
    if (!(await prisma.organization.findUnique({ where: { id: TARGET } }))) await seed();
    delegateRoleId = (
      await prisma.role.create({ data: { name: "Delegate", orgId: TARGET, permissions: DELEGATE_PERMISSIONS } })
    ).id;
    const accountRole = await prisma.role.create({
      data: { name: "Delegate", orgId: "acme_acct", permissions: DELEGATE_PERMISSIONS },
    });
    for (const [email, orgId, roleId] of [
      ["delegate@keycenter.test", TARGET, delegateRoleId],
      ["account.delegate@keycenter.test", "acme_acct", accountRole.id],
    ] as const) {
      await createUser(prisma, { email, name: "Delegate", orgId, roleId }, "Welcome-to-KeyCenter-9");
    }
    midDelegate = await signedInHeaders("delegate@keycenter.test", "Welcome-to-KeyCenter-9");
    accountDelegate = await signedInHeaders("account.delegate@keycenter.test", "Welcome-to-KeyCenter-9");
  });

  it("Create user: refuses a role holding more than the actor, beside the Role field; gives one within it", async () => {
    const email = `admin${++seq}@keycenter.test`;
    const input = { email, name: "X", orgId: TARGET, password: "Welcome-to-KeyCenter-9" };
    for (const roleId of ["role_administrator", "role_key_manager"]) {
      const r = await as(midDelegate, "createUserAction", { ...input, roleId });
      expect(r.ok).toBe(false);
      expect(r.error!.fields).toEqual({ roleId: GRANT_REFUSED });
    }
    expect(await prisma.user.findUnique({ where: { email } })).toBeNull();
    expect((await as(midDelegate, "createUserAction", { ...input, roleId: "role_viewer" })).ok).toBe(true);
  });

  it("the Role pickers list only roles the actor may give", async () => {
    const { assignableRoles } = await import("@/lib/auth/users");
    nextRequest.headers = midDelegate;
    const session = (await resolvePortalSession(midDelegate))!;
    const names = (await assignableRoles(session)).map((r) => r.name);
    expect(names).toContain("Viewer");
    expect(names).toContain("Delegate");
    expect(names).not.toContain("Administrator");
    expect(names).not.toContain("Key Manager");
  });

  it("assignment in an organization below: the account's delegate cannot give Administrator at the MID", async () => {
    const email = `below${++seq}@keycenter.test`;
    const input = { email, name: "B", orgId: TARGET, password: "Welcome-to-KeyCenter-9" };
    const refused = await as(accountDelegate, "createUserAction", { ...input, roleId: "role_administrator" });
    expect(refused.error?.fields).toEqual({ roleId: GRANT_REFUSED });
    expect((await as(accountDelegate, "createUserAction", { ...input, roleId: "role_viewer" })).ok).toBe(true);
    const promoted = await as(accountDelegate, "setUserRoleAction", {
      userId: await viewer(),
      roleId: "role_administrator",
    });
    expect(promoted.error?.fields).toEqual({ roleId: GRANT_REFUSED });
  });

  it("Change role: refuses a role beyond the actor and any change to someone who holds more", async () => {
    const userId = await viewer();
    const up = await as(midDelegate, "setUserRoleAction", { userId, roleId: "role_administrator" });
    expect(up.error?.fields).toEqual({ roleId: GRANT_REFUSED });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).roleId).toBe("role_viewer");
    expect((await as(midDelegate, "setUserRoleAction", { userId, roleId: delegateRoleId })).ok).toBe(true);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: userId } })).roleId).toBe(delegateRoleId);

    const admin = await prisma.user.findUniqueOrThrow({ where: { email: "merchant.admin@keycenter.test" } });
    for (const [name, input] of [
      ["setUserRoleAction", { userId: admin.id, roleId: "role_viewer" }],
      ["setUserDisabledAction", { userId: admin.id, disabled: true }],
      ["resetSecondFactorAction", { userId: admin.id }],
    ] as const) {
      const r = await as(midDelegate, name, input);
      expect({ name, message: r.error?.message }).toEqual({ name, message: MANAGE_REFUSED });
    }
    const after = await prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
    expect({ roleId: after.roleId, disabled: after.disabled }).toEqual({
      roleId: "role_administrator",
      disabled: false,
    });
  });

  it("roles: saves only permissions the actor holds, and cannot raise the actor's own role", async () => {
    const beyond = await as(midDelegate, "createRoleAction", {
      name: `Deleter ${++seq}`,
      permissions: ["keys.delete"],
    });
    expect(beyond.error?.fields).toEqual({ permissions: GRANT_REFUSED });
    expect(
      (await as(midDelegate, "createRoleAction", { name: `Looker ${++seq}`, permissions: ["keys.view"] })).ok,
    ).toBe(true);

    const raise = await as(midDelegate, "updateRoleAction", {
      roleId: delegateRoleId,
      name: "Delegate",
      permissions: [...DELEGATE_PERMISSIONS, "settings.manage"],
    });
    expect(raise.error?.fields).toEqual({ permissions: GRANT_REFUSED });
    expect((await prisma.role.findUniqueOrThrow({ where: { id: delegateRoleId } })).permissions).toEqual(
      DELEGATE_PERMISSIONS,
    );

    const powerful = await prisma.role.create({
      data: { name: `Powerful ${++seq}`, orgId: TARGET, permissions: ["keys.delete"] },
    });
    const edit = await as(midDelegate, "updateRoleAction", {
      roleId: powerful.id,
      name: "Tamed",
      permissions: [],
    });
    expect(edit.error?.message).toBe(EDIT_ROLE_REFUSED);
    expect((await as(midDelegate, "deleteRoleAction", { roleId: powerful.id })).error?.message).toBe(EDIT_ROLE_REFUSED);
    expect(await prisma.role.findUnique({ where: { id: powerful.id } })).toMatchObject({ name: powerful.name });
  });
});
