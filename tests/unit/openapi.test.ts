/**
 * The Key Management API's OpenAPI document (lib/kms/openapi.ts): the committed
 * docs/kms-openapi.json is what the code generates, every route of lib/kms/http.ts is in it,
 * and it is valid OpenAPI 3.1 by a validator nobody here wrote. Then /api/docs, which renders it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KMS_ENDPOINTS, kmsOpenApi } from "@/lib/kms/http";
import { kmsOpenApiDocument, OPENAPI_FILE, openApiText } from "@/lib/kms/openapi";
import { SearchKeysQuery } from "@/lib/kms/schemas";
import { proxy } from "@/proxy";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, "..", "..");

type Operation = { operationId?: string; security?: unknown[]; responses?: Record<string, unknown> };
const operation = (doc: Awaited<ReturnType<typeof kmsOpenApi>>, endpoint: string): Operation | undefined => {
  const [method, route] = endpoint.split(" ") as [string, string];
  return (doc.paths?.[route] as Record<string, Operation> | undefined)?.[method.toLowerCase()];
};

describe("the Key Management API's OpenAPI document", () => {
  it("is the committed docs/kms-openapi.json (regenerated and compared)", async () => {
    const committed = readFileSync(path.join(ROOT, OPENAPI_FILE), "utf8");
    expect(openApiText(await kmsOpenApi()), `${OPENAPI_FILE} is out of date: run \`npm run openapi\``).toBe(committed);
  });

  it("documents every route of lib/kms/http.ts, and the document itself as public", async () => {
    const doc = await kmsOpenApi();
    expect(KMS_ENDPOINTS.length).toBeGreaterThan(10);
    expect(KMS_ENDPOINTS.filter((e) => !operation(doc, e))).toEqual([]);
    for (const e of KMS_ENDPOINTS)
      expect({ e, security: operation(doc, e)!.security }).toEqual({ e, security: undefined });
    expect(doc.security).toEqual([{ httpSignature: [] }, { jwt: [] }]);
    expect(operation(doc, "GET /kms/v2/openapi.json")).toMatchObject({ security: [] });
    const documented = Object.values(doc.paths ?? {}).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(documented).toBe(KMS_ENDPOINTS.length + 1);
  });

  it("cannot be built for a route nobody documented", () => {
    expect(() => kmsOpenApiDocument([{ method: "GET", path: "/kms/v2/keys-new" }])).toThrow(
      /no OpenAPI documentation for GET \/kms\/v2\/keys-new/,
    );
  });

  it("is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(await kmsOpenApi()) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("names each KMS v2 operation as the official SDK 0.0.59 names its method", async () => {
    const sdk = require("cybersource-rest-client-kms");
    const apis = [
      "KeyManagementApi",
      "SymmetricKeyManagementApi",
      "AsymmetricKeyManagementApi",
      "KeyManagementPasswordApi",
      "KeyManagementPgpApi",
      "KeyManagementScmpApi",
    ];
    // The SDK defines its methods in each Api's constructor.
    const config = {
      runEnvironment: "apitest.cybersource.com",
      logConfiguration: { enableLog: false },
      authenticationType: "http_signature",
      merchantID: "merchant12378",
      merchantKeyId: "k",
      merchantsecretKey: "c2VjcmV0",
    };
    const methods = new Set(apis.flatMap((a) => Object.keys(new sdk[a](config, new sdk.ApiClient()))));
    expect(methods.has("searchKeys")).toBe(true);
    const doc = await kmsOpenApi();
    const kmsV2 = KMS_ENDPOINTS.filter((e) => e.includes(" /kms/v2/"));
    expect(kmsV2.map((e) => operation(doc, e)!.operationId).filter((id) => !methods.has(id!))).toEqual([]);
    const ids = KMS_ENDPOINTS.map((e) => operation(doc, e)!.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("documents searchKeys' sort as the schema checks it (any case)", async () => {
    const doc = await kmsOpenApi();
    const params = (
      operation(doc, "GET /kms/v2/keys") as { parameters: { name: string; schema: { pattern: string } }[] }
    ).parameters;
    const pattern = new RegExp(params.find((p) => p.name === "sort")!.schema.pattern);
    for (const sort of [
      "dateAdded",
      "EXPIRATIONDATE:DESC",
      "expirationDate:asc",
      "dateAdded:up",
      "name",
      "dateadded:",
    ]) {
      expect({ sort, documented: pattern.test(sort) }).toEqual({
        sort,
        documented: SearchKeysQuery.safeParse({ sort }).success,
      });
    }
  });
});

/**
 * /api/docs (lib/kms/api-docs.ts): Swagger UI from this origin under the portal's policy, as
 * proxy.ts sends it: the page's scripts carry the nonce of the policy proxy.ts gave the request.
 */
describe("/api/docs", () => {
  const STAMPED = Symbol.for("keycenter.peer-stamped");
  const g = globalThis as Record<symbol, unknown>;
  const routes = {
    page: "app/api/docs/route.ts",
    css: "app/api/docs/swagger-ui.css/route.ts",
    js: "app/api/docs/swagger-ui-bundle.js/route.ts",
  };
  const load = async (file: string) =>
    (await import(path.join(ROOT, file))) as { GET: (r?: Request) => Promise<Response> | Response };

  beforeEach(() => {
    g[STAMPED] = true;
  });
  afterEach(() => {
    delete g[STAMPED];
  });

  it("renders Swagger UI on the published document, its scripts carrying the nonce of proxy.ts's policy", async () => {
    const proxied = proxy(
      new NextRequest("http://keycenter.test/api/docs", { headers: { "x-keycenter-peer": "127.0.0.1" } }),
    );
    const csp = proxied.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    // What Next.js hands the route: the request headers proxy.ts set.
    const forwarded = proxied.headers.get("x-middleware-request-x-nonce");
    expect(forwarded).toBe(nonce);

    const res = await (
      await load(routes.page)
    ).GET(new Request("http://keycenter.test/api/docs", { headers: { "x-nonce": nonce } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    // proxy.ts's policy applies unchanged: the route sends none of its own.
    expect(res.headers.get("content-security-policy")).toBeNull();
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toHaveLength(2);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(html).toContain('url: "/kms/v2/openapi.json"');
    expect(html).toContain("validatorUrl: null");
    // Offline: nothing from another origin.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="(\/api\/docs\/[^"?]+)/g)].map((m) => m[1]);
    expect(assets.sort()).toEqual(["/api/docs/swagger-ui-bundle.js", "/api/docs/swagger-ui.css"]);
  });

  it("without proxy.ts's nonce, makes its own and sends the portal's policy with it", async () => {
    const res = await (await load(routes.page)).GET(new Request("http://keycenter.test/api/docs"));
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    expect(res.headers.get("content-security-policy")).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    for (const tag of (await res.text()).match(/<script\b[^>]*>/g)!) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("serves Swagger UI's files from this origin", async () => {
    const css = await (await load(routes.css)).GET();
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toContain(".swagger-ui");
    const js = await (await load(routes.js)).GET();
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(await js.text()).toContain("SwaggerUIBundle");
  });
});
