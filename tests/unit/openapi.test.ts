/**
 * The Key Management API's OpenAPI document (lib/kms/openapi.ts): the committed
 * docs/kms-openapi.json is what the code generates, every route of lib/kms/http.ts is in it,
 * and it is valid OpenAPI 3.1 by a validator nobody here wrote.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { KMS_ENDPOINTS, kmsOpenApi } from "@/lib/kms/http";
import { kmsOpenApiDocument, OPENAPI_FILE, openApiText } from "@/lib/kms/openapi";
import { SearchKeysQuery } from "@/lib/kms/schemas";

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
