/**
 * The Key Management API's answers against its own published OpenAPI document (issue 15: "responses
 * validate ... against the published OpenAPI document"): real calls through the served app (npm
 * start's path: lib/http/server.ts → lib/kms/http.ts), signed as the official SDK signs
 * (tests/helpers/kms.ts), each answer's body validated by Ajv (JSON Schema 2020-12, OpenAPI 3.1's
 * dialect) against the schema the document gives for that path, method and status. Also the
 * document itself as served: public, with the API's security headers.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { API_CSP, STATIC_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { createKey } from "@/lib/keys/create";
import type { SharedSecretResult } from "@/lib/keys/creators";
import { kmsOpenApi } from "@/lib/kms/http";
import { OPENAPI_FILE } from "@/lib/kms/openapi";
import { seed } from "../helpers/fixtures";
import { type KmsCreds, kmsRequest, type RawAnswer } from "../helpers/kms";
import { type ServedApp, startServedApp } from "../helpers/served-app";

const TARGET = "merchant12378";
const DOC_ID = "https://keycenter.test/kms/v2/openapi.json";

let app: ServedApp;
let creds: KmsCreds;
let published: Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true });

/** The JSON pointer of `segments` (RFC 6901). */
const pointer = (...segments: string[]) => segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

/** Validates `answer` against the document's schema for `route` (as documented, `{keyId}`), `method` and its status. */
function expectDocumented(method: string, route: string, answer: RawAnswer, status: number) {
  expect({ status: answer.status, text: answer.text.slice(0, 300) }).toEqual({ status, text: expect.any(String) });
  expect(String(answer.headers["content-type"])).toMatch(/^application\/json/);
  const ref = `${DOC_ID}#/${pointer("paths", route, method.toLowerCase(), "responses", String(status), "content", "application/json", "schema")}`;
  const validate = ajv.getSchema(ref);
  expect(validate, `the document has no schema for ${method} ${route} ${status}`).toBeTypeOf("function");
  const valid = validate!(answer.json);
  expect({ route, status, errors: valid ? [] : validate!.errors }).toEqual({ route, status, errors: [] });
}

describe("Key Management API answers, validated against the published OpenAPI document", () => {
  beforeAll(async () => {
    await seed();
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: TARGET } });
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "merchant.admin@keycenter.test" } });
    const r = (await createKey("REST_SHARED_SECRET", {
      ctx: {
        actor: { actorId: user.id, actorEmail: user.email },
        org: { id: org.id, type: org.type, portfolioId: org.portfolioId, accountId: org.accountId },
        environment: "TEST",
      },
      kmsApi: true,
    })) as SharedSecretResult;
    creds = { keyId: r.key.id, secret: r.secret, merchantId: TARGET };
    app = await startServedApp();
    // The document as the served app publishes it, and the schemas in it by their place.
    const served = await kmsRequest(app.port, null, "GET", "/kms/v2/openapi.json");
    expect(served.status).toBe(200);
    published = served.json!;
    ajv.addSchema({ ...published, $id: DOC_ID });
  }, 900_000);

  afterAll(async () => {
    await app?.stop();
  });

  it("publishes the document without authentication: the generated one, as committed, with the API's headers", async () => {
    const served = await kmsRequest(app.port, null, "GET", "/kms/v2/openapi.json");
    expect(served.status).toBe(200);
    expect(served.json).toEqual(JSON.parse(JSON.stringify(await kmsOpenApi())));
    expect(served.json).toEqual(JSON.parse(readFileSync(path.resolve(OPENAPI_FILE), "utf8")));
    expect(served.headers["cache-control"]).toBe("public, max-age=300");
    expect(served.headers["content-security-policy"]).toBe(API_CSP);
    for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) {
      expect({ name, value: served.headers[name.toLowerCase()] }).toEqual({ name, value });
    }
    // Another method on it is refused, not authenticated.
    expect((await kmsRequest(app.port, null, "POST", "/kms/v2/openapi.json", {})).status).toBe(405);
  });

  it("searchKeys: 200 as documented", async () => {
    const a = await kmsRequest(app.port, creds, "GET", `/kms/v2/keys?organizationIds=${TARGET}&limit=5`);
    expectDocumented("GET", "/kms/v2/keys", a, 200);
    expect((a.json!.keys as unknown[]).length).toBeGreaterThan(0);
  });

  it("create shared secrets, then get one's details: 201 and 200 as documented", async () => {
    const created = await kmsRequest(app.port, creds, "POST", "/kms/v2/keys-sym", {
      clientReferenceInformation: { code: "openapi" },
      keyInformation: [{ organizationId: TARGET, referenceNumber: "r1" }, { organizationId: "initech01" }],
    });
    expectDocumented("POST", "/kms/v2/keys-sym", created, 201);
    const [ok, refused] = created.json!.keyInformation as { status: string; keyId?: string }[];
    expect([ok!.status, refused!.status]).toEqual(["ACTIVE", "FAILED"]);

    const details = await kmsRequest(app.port, creds, "GET", `/kms/v2/keys-sym/${ok!.keyId}`);
    expectDocumented("GET", "/kms/v2/keys-sym/{keyId}", details, 200);
    const missing = await kmsRequest(app.port, creds, "GET", "/kms/v2/keys-sym/no-such-key");
    expectDocumented("GET", "/kms/v2/keys-sym/{keyId}", missing, 404);
  });

  it("a bad request: 400 in Cybersource's error form, as documented", async () => {
    const a = await kmsRequest(app.port, creds, "POST", "/kms/v2/keys-sym", { keyInformation: [] });
    expectDocumented("POST", "/kms/v2/keys-sym", a, 400);
    const search = await kmsRequest(app.port, creds, "GET", "/kms/v2/keys?keyTypes=pgp");
    expectDocumented("GET", "/kms/v2/keys", search, 400);
  });

  it("an unsigned request: 401 as documented", async () => {
    const a = await kmsRequest(app.port, null, "GET", `/kms/v2/keys?organizationIds=${TARGET}`);
    expectDocumented("GET", "/kms/v2/keys", a, 401);
  });

  it("catches an answer that does not match the document", () => {
    const validate = ajv.getSchema(
      `${DOC_ID}#/${pointer("paths", "/kms/v2/keys", "get", "responses", "200", "content", "application/json", "schema")}`,
    )!;
    expect(validate({ submitTimeUtc: "2026-01-01T00:00:00Z", totalCount: "1", keys: [] })).toBe(false);
  });
});
