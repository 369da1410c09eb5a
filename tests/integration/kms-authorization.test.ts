/**
 * The Key Management API's authorization matrix (issue 15): every endpoint (enumerated from
 * lib/kms/http.ts, so a new one cannot be forgotten) called by seven kinds of caller against
 * merchant12378's keys, on the real handler (lib/kms/http.ts kmsHandler on node:http, the
 * handler lib/http/server.ts dispatches to), signed as the SDK signs. Also the per-key rate
 * limit (shared store) and the audit of every change.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "@/lib/context";
import { prisma } from "@/lib/db";
import { createKey } from "@/lib/keys/create";
import type { SharedSecretResult } from "@/lib/keys/creators";
import { KMS_ENDPOINTS, kmsHandler } from "@/lib/kms/http";
import { createLimits, setLimitsForTests } from "@/lib/rate-limit";
import { seed } from "../helpers/fixtures";
import { type KmsCreds, kmsRequest, type RawAnswer } from "../helpers/kms";
import { Workdir } from "../helpers/openssl";

type Caller = "none" | "badSignature" | "withoutKmsApi" | "unrelated" | "viewerCreated" | "own" | "parentMeta";
const CALLERS: Caller[] = ["none", "badSignature", "withoutKmsApi", "unrelated", "viewerCreated", "own", "parentMeta"];
/** What an answer amounts to. */
type Outcome = "401" | "403" | "404" | "400" | "failedEntries" | "allowed";

const TARGET = "merchant12378";
const DAY = 86_400_000;
let server: Server;
let port = 0;
let csr = "";
const creds = {} as Record<Caller, KmsCreds | null>;
let seq = 0;

async function ctxFor(orgId: string, email: string, extra: Partial<ServiceContext> = {}): Promise<ServiceContext> {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
  const user = await prisma.user.findUniqueOrThrow({ where: { email } });
  return {
    actor: { actorId: user.id, actorEmail: email },
    org: { id: org.id, type: org.type, portfolioId: org.portfolioId, accountId: org.accountId },
    environment: "TEST",
    ...extra,
  };
}

async function apiKey(ctx: ServiceContext, kmsApi = true): Promise<{ keyId: string; secret: string }> {
  const r = (await createKey("REST_SHARED_SECRET", { ctx, kmsApi })) as SharedSecretResult;
  return { keyId: r.key.id, secret: r.secret };
}

/** A key of merchant12378 made for one call. */
async function targetKey(
  type: "REST_SHARED_SECRET" | "REST_RESPONSE_MLE" | "SECURE_ACCEPTANCE" | "PGP" | "SOAP_TOOLKIT" | "REST_CERTIFICATE",
) {
  const id = `kms-matrix-${++seq}`;
  await prisma.key.create({
    data: { id, type, environment: "TEST", orgId: TARGET, name: id, expiresAt: new Date(Date.now() + 100 * DAY) },
  });
  return id;
}

/** A custom meta key of merchant12378's account (merchant12378 and merchant12379) made for one call. */
async function metaTarget() {
  const id = `kms-matrix-meta-${++seq}`;
  await prisma.key.create({
    data: {
      id,
      type: "REST_SHARED_SECRET",
      environment: "TEST",
      orgId: "acme_acct",
      name: id,
      metaScope: "CUSTOM",
      expiresAt: new Date(Date.now() + 100 * DAY),
      assignments: { create: [{ mid: TARGET }, { mid: "merchant12379" }] },
    },
  });
  return id;
}

/** Per endpoint: a fresh request against merchant12378 (meta keys: against its account's). */
const REQUESTS: Record<string, () => Promise<{ method: string; path: string; body?: unknown }>> = {
  "GET /kms/v2/keys": async () => ({ method: "GET", path: `/kms/v2/keys?organizationIds=${TARGET}` }),
  "POST /kms/v2/keys-sym": async () => ({
    method: "POST",
    path: "/kms/v2/keys-sym",
    body: { keyInformation: [{ organizationId: TARGET }] },
  }),
  "POST /kms/v2/keys-sym/deletes": async () => ({
    method: "POST",
    path: "/kms/v2/keys-sym/deletes",
    body: { keyInformation: [{ organizationId: TARGET, keyId: await targetKey("REST_SHARED_SECRET") }] },
  }),
  "GET /kms/v2/keys-sym/{keyId}": async () => ({
    method: "GET",
    path: `/kms/v2/keys-sym/${await targetKey("REST_SHARED_SECRET")}`,
  }),
  "POST /kms/v2/keys-asym": async () => ({
    method: "POST",
    path: "/kms/v2/keys-asym",
    body: { keyInformation: [{ organizationId: TARGET, cert: csr }] },
  }),
  "POST /kms/v2/keys-asym/deletes": async () => ({
    method: "POST",
    path: "/kms/v2/keys-asym/deletes",
    body: { keyInformation: [{ organizationId: TARGET, keyId: await targetKey("REST_CERTIFICATE") }] },
  }),
  "GET /kms/v2/keys-asym/{keyId}": async () => ({
    method: "GET",
    path: `/kms/v2/keys-asym/${await targetKey("REST_CERTIFICATE")}`,
  }),
  "PATCH /kms/v2/keys-asym/{keyId}": async () => ({
    method: "PATCH",
    path: `/kms/v2/keys-asym/${await targetKey("REST_RESPONSE_MLE")}`,
    body: { status: "inactive", organizationId: TARGET },
  }),
  "PATCH /kms/v2/keys-password/{keyId}": async () => ({
    method: "PATCH",
    path: `/kms/v2/keys-password/${await targetKey("SECURE_ACCEPTANCE")}`,
    body: { status: "inactive", organizationId: TARGET },
  }),
  "PATCH /kms/v2/keys-pgp/{keyId}": async () => ({
    method: "PATCH",
    path: `/kms/v2/keys-pgp/${await targetKey("PGP")}`,
    body: { status: "inactive", organizationId: TARGET },
  }),
  "PATCH /kms/v2/keys-scmp/{keyId}": async () => ({
    method: "PATCH",
    path: `/kms/v2/keys-scmp/${await targetKey("SOAP_TOOLKIT")}`,
    body: { status: "inactive", organizationId: TARGET },
  }),
  "POST /keycenter/v1/meta-keys": async () => ({
    method: "POST",
    path: "/keycenter/v1/meta-keys",
    body: { organizationId: "acme_acct", scope: "CUSTOM", merchantIds: [TARGET] },
  }),
  "GET /keycenter/v1/meta-keys/{keyId}/merchants": async () => ({
    method: "GET",
    path: `/keycenter/v1/meta-keys/${await metaTarget()}/merchants`,
  }),
  "POST /keycenter/v1/meta-keys/{keyId}/merchants": async () => ({
    method: "POST",
    path: `/keycenter/v1/meta-keys/${await metaTarget()}/merchants`,
    body: { merchantIds: ["merchant12380"] },
  }),
  "POST /keycenter/v1/meta-keys/{keyId}/merchants/deletes": async () => ({
    method: "POST",
    path: `/keycenter/v1/meta-keys/${await metaTarget()}/merchants/deletes`,
    body: { merchantIds: [TARGET] },
  }),
  "POST /keycenter/v1/meta-keys/{keyId}/regenerate": async () => ({
    method: "POST",
    path: `/keycenter/v1/meta-keys/${await metaTarget()}/regenerate`,
  }),
};

const SEARCH = "GET /kms/v2/keys";
const CREATES = ["POST /kms/v2/keys-sym", "POST /kms/v2/keys-asym"];
const BULK = [...CREATES, "POST /kms/v2/keys-sym/deletes", "POST /kms/v2/keys-asym/deletes"];
const READS = ["GET /kms/v2/keys-sym/{keyId}", "GET /kms/v2/keys-asym/{keyId}"];
const SCMP = "PATCH /kms/v2/keys-scmp/{keyId}";
const META_CREATE = "POST /keycenter/v1/meta-keys";
const META_LIST = "GET /keycenter/v1/meta-keys/{keyId}/merchants";

/** The one table: what each caller gets from each endpoint. */
function expected(caller: Caller, endpoint: string): Outcome {
  if (caller === "none" || caller === "badSignature") return "401";
  if (caller === "withoutKmsApi") return "403";
  if (endpoint.includes(" /keycenter/v1/meta-keys") && caller !== "parentMeta") {
    // Meta keys of merchant12378's account: only the portfolio's key reaches them. A Viewer's
    // key may not change meta keys (403) and finds none to list; the others find none (404)
    // and may not create one for the account (400, as searchKeys refuses an organization).
    if (caller === "viewerCreated" && endpoint !== META_LIST) return "403";
    return endpoint === META_CREATE ? "400" : "404";
  }
  if (caller === "unrelated") return endpoint === SEARCH ? "400" : BULK.includes(endpoint) ? "failedEntries" : "404";
  if (caller === "viewerCreated") {
    // A Viewer created the key: it sees, changes nothing.
    if (endpoint === SEARCH || READS.includes(endpoint)) return "allowed";
    return BULK.includes(endpoint) ? "failedEntries" : "403";
  }
  // own key, and the portfolio's meta key: allowed, except what no one may do (a SOAP Toolkit key cannot be deactivated).
  return endpoint === SCMP ? "400" : "allowed";
}

function outcome(a: RawAnswer): Outcome {
  if (a.status === 401) return "401";
  if (a.status === 403) return "403";
  if (a.status === 404) return "404";
  if (a.status === 400) return "400";
  if (a.status >= 200 && a.status < 300) {
    const entries = (a.json?.keyInformation ?? null) as { status: string }[] | null;
    if (Array.isArray(entries) && entries.length && entries.every((e) => e.status === "FAILED")) return "failedEntries";
    return "allowed";
  }
  throw new Error(`unexpected ${a.status}: ${a.text.slice(0, 300)}`);
}

describe("Key Management API: authorization matrix", () => {
  beforeAll(async () => {
    await seed();
    const work = new Workdir();
    csr = work.csr({ keyout: "k", out: "c", cn: TARGET });
    work.remove();
    await prisma.user.create({
      data: {
        id: "kms-matrix-viewer",
        name: "Vi",
        email: "kms.viewer@keycenter.test",
        orgId: TARGET,
        roleId: "role_viewer",
      },
    });
    const own = await apiKey(await ctxFor(TARGET, "merchant.admin@keycenter.test"));
    creds.none = null;
    creds.badSignature = { ...own, secret: Buffer.alloc(32, 9).toString("base64"), merchantId: TARGET };
    creds.withoutKmsApi = {
      ...(await apiKey(await ctxFor(TARGET, "merchant.admin@keycenter.test"), false)),
      merchantId: TARGET,
    };
    creds.unrelated = {
      ...(await apiKey(await ctxFor("initech01", "initech.admin@keycenter.test"))),
      merchantId: "initech01",
    };
    creds.viewerCreated = { ...(await apiKey(await ctxFor(TARGET, "kms.viewer@keycenter.test"))), merchantId: TARGET };
    creds.own = { ...own, merchantId: TARGET };
    const meta = await apiKey(
      await ctxFor("portfolioabc", "portfolio.admin@keycenter.test", { meta: { scope: "ALL" } }),
    );
    creds.parentMeta = { ...meta, merchantId: TARGET, signedMerchantId: "portfolioabc" };
    server = createServer(kmsHandler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    setLimitsForTests(null);
    await new Promise((resolve) => server?.close(resolve));
  });

  it("has a row for every endpoint", () => {
    expect([...KMS_ENDPOINTS].sort()).toEqual(Object.keys(REQUESTS).sort());
  });

  for (const caller of CALLERS) {
    it(`every endpoint as ${caller}`, async () => {
      const got: Record<string, Outcome> = {};
      const want: Record<string, Outcome> = {};
      for (const endpoint of KMS_ENDPOINTS) {
        const r = await REQUESTS[endpoint]!();
        got[endpoint] = outcome(await kmsRequest(port, creds[caller], r.method, r.path, r.body));
        want[endpoint] = expected(caller, endpoint);
      }
      expect(got).toEqual(want);
    });
  }

  it("audits every change as made via the Key Management API, by the key", async () => {
    const r = await REQUESTS["PATCH /kms/v2/keys-pgp/{keyId}"]!();
    const keyId = r.path.split("/").pop()!;
    expect((await kmsRequest(port, creds.parentMeta, r.method, r.path, r.body)).status).toBe(200);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: keyId, action: "key.deactivate" } });
    expect(audit).toMatchObject({
      orgId: TARGET,
      actorEmail: `via Key Management API, key ${creds.parentMeta!.keyId}`,
    });
    expect(audit.actorId).toBe(
      (await prisma.user.findUniqueOrThrow({ where: { email: "portfolio.admin@keycenter.test" } })).id,
    );
  });

  it("limits requests per key (shared store): over the limit, 429 with Retry-After; another key is not affected", async () => {
    setLimitsForTests(createLimits({ rules: { "kms.key": { points: 2, durationSeconds: 60 } } }));
    try {
      const limited = { ...(await apiKey(await ctxFor(TARGET, "merchant.admin@keycenter.test"))), merchantId: TARGET };
      const path = `/kms/v2/keys?organizationIds=${TARGET}`;
      expect((await kmsRequest(port, limited, "GET", path)).status).toBe(200);
      expect((await kmsRequest(port, limited, "GET", path)).status).toBe(200);
      const third = await kmsRequest(port, limited, "GET", path);
      expect(third.status).toBe(429);
      expect(Number(third.headers["retry-after"])).toBeGreaterThan(0);
      expect(third.json).toMatchObject({ status: "TOO_MANY_REQUESTS" });
      const other = { ...(await apiKey(await ctxFor(TARGET, "merchant.admin@keycenter.test"))), merchantId: TARGET };
      expect((await kmsRequest(port, other, "GET", path)).status).toBe(200);
    } finally {
      setLimitsForTests(null);
    }
  });

  it("refuses a signature dated more than 5 minutes ago (the gateway's replay rule)", async () => {
    const old = { ...creds.own!, at: new Date(Date.now() - 10 * 60_000) };
    expect((await kmsRequest(port, old, "GET", `/kms/v2/keys?organizationIds=${TARGET}`)).status).toBe(401);
  });
});
