import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import {
  CreateP12KeysRequest,
  CreateP12KeysResponse,
  CreateSharedSecretKeysRequest,
  CreateSharedSecretKeysResponse,
  DeleteKeysRequest,
  DeleteKeysResponse,
  ErrorResponse,
  KeyDetailsResponse,
  KeyId,
  MAX_ENTRIES,
  MAX_SEARCH_LIMIT,
  OrganizationId,
  SearchKeysQuery,
  SearchKeysResponse,
  UpdateKeyStatusRequest,
  UpdateScmpKeyRequest,
} from "./schemas";
import { META_KEY_SCHEMAS } from "./meta-key-schemas";

/**
 * The Key Management API's OpenAPI 3.1 document, generated from the zod schemas its handlers
 * validate with (schemas.ts; their `.meta({ id })` names are the official SDK's model names) by
 * @asteasolutions/zod-to-openapi. The endpoints come from the router (lib/kms/http.ts ROUTES,
 * passed in): every route must have an entry in OPERATIONS (or META_KEY_OPERATIONS), or the
 * document cannot be built. Served at GET /kms/v2/openapi.json, committed as
 * docs/kms-openapi.json (`npm run openapi`), rendered at /api/docs.
 */

/** A route as the router has it: `{keyId}` in the path for the key; `public`: no authentication. */
export interface DocumentedRoute {
  method: string;
  path: string;
  public?: boolean;
}

/** What one endpoint takes and answers, in terms of the handlers' own schemas. */
export interface OperationDoc {
  /** The official SDK's method name (KeyManagementApi.searchKeys, ...) where it has one. */
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The answer when it succeeds. */
  ok: { status: number; description: string; schema: z.ZodType };
  /** The schema of its refusals other than the 401 (default: the API's error answer). */
  error?: z.ZodType;
}

/**
 * The 401 of a request whose authentication fails (auth.ts AUTHENTICATION_FAILED): the payments
 * API's own answer, which the SDK reads as it reads the gateway's.
 */
export const AuthenticationFailedResponse = z
  .object({ response: z.object({ rmsg: z.string() }) })
  .meta({ id: "KmsAuthenticationFailed", description: "Authentication failed (the payments API's answer)." });

/** The Cybersource search's own rules for its query, described where the schema cannot say them. */
const SearchKeysQueryDoc = SearchKeysQuery.extend({
  offset: SearchKeysQuery.shape.offset.meta({ description: "Where the page starts (default 0)." }),
  limit: SearchKeysQuery.shape.limit.meta({ description: `Keys per page, 1 to ${MAX_SEARCH_LIMIT} (default 20).` }),
  sort: SearchKeysQuery.shape.sort.meta({
    description:
      "`expirationDate` or `dateAdded`, optionally followed by `:asc` or `:desc` (any case; default `dateAdded:desc`).",
    // The schema's regular expression is case-insensitive (a flag JSON Schema patterns cannot carry).
    pattern: anyCase("^(expirationDate|dateAdded)(:(asc|desc))?$"),
  }),
  organizationIds: SearchKeysQuery.shape.organizationIds.meta({
    description: "The organization whose keys to search (one; default the key's own). It may be one below the key's.",
  }),
  keyIds: SearchKeysQuery.shape.keyIds.meta({ description: "One key ID." }),
  keyTypes: SearchKeysQuery.shape.keyTypes.meta({
    description:
      "Comma-separated: `certificate`, `password`, `pgp`, `scmp_api`. Needs another filter (organizationIds, keyIds or an expiration date).",
  }),
  expirationStartDate: SearchKeysQuery.shape.expirationStartDate.meta({
    description: "Keys expiring at or after this date and time (ISO 8601). Needs another filter.",
  }),
  expirationEndDate: SearchKeysQuery.shape.expirationEndDate.meta({
    description: "Keys expiring at or before this date and time (ISO 8601). Needs another filter.",
  }),
});

/** A regular expression of letters and punctuation that matches whatever the case of its letters. */
export function anyCase(pattern: string): string {
  if (/[\\[\]]/.test(pattern)) throw new Error(`anyCase: escapes and classes are not supported: ${pattern}`);
  return pattern.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

const BULK = `One entry per key, 1 to ${MAX_ENTRIES}; each entry is answered in order, ACTIVE or FAILED with its own errorInformation.`;

const updateStatus = (operationId: string, what: string, tag: string): OperationDoc => ({
  operationId,
  summary: `Activate or deactivate a ${what}`,
  description:
    "`status`: `active` or `inactive` (any case); `organizationId`: the organization that owns the key. Activating is " +
    "the reverse of Deactivate; refused (400) where the key type cannot be deactivated, e.g. REST – Certificate.",
  tag,
  body: UpdateKeyStatusRequest,
  ok: { status: 200, description: "The key as it is now.", schema: KeyDetailsResponse },
});

const deletes = (operationId: string, what: string, tag: string): OperationDoc => ({
  operationId,
  summary: `Delete ${what}`,
  description: BULK,
  tag,
  body: DeleteKeysRequest,
  ok: { status: 200, description: "Each entry's outcome.", schema: DeleteKeysResponse },
});

/** Cybersource KMS v2, as the official SDK 0.0.59 calls it: "METHOD path" → what it takes and answers. */
export const OPERATIONS: Readonly<Record<string, OperationDoc>> = {
  "GET /kms/v2/keys": {
    operationId: "searchKeys",
    summary: "Search keys",
    description:
      "The keys of one organization (the key's own, or `organizationIds`), paginated, with the portal's search.",
    tag: "Key Management",
    query: SearchKeysQueryDoc,
    ok: { status: 200, description: "One page of keys.", schema: SearchKeysResponse },
  },
  "POST /kms/v2/keys-sym": {
    operationId: "createV2SharedSecretKeys",
    summary: "Create shared-secret keys",
    description: `${BULK} The secret (\`key\`) is returned once.`,
    tag: "Symmetric keys",
    body: CreateSharedSecretKeysRequest,
    ok: {
      status: 201,
      description: "The keys created (or the entries refused).",
      schema: CreateSharedSecretKeysResponse,
    },
  },
  "POST /kms/v2/keys-sym/deletes": deletes("deleteBulkSymmetricKeys", "shared-secret keys", "Symmetric keys"),
  "GET /kms/v2/keys-sym/{keyId}": {
    operationId: "getKeyDetails",
    summary: "Shared-secret key details",
    tag: "Symmetric keys",
    ok: { status: 200, description: "The key (never its secret).", schema: KeyDetailsResponse },
  },
  "POST /kms/v2/keys-asym": {
    operationId: "createP12Keys",
    summary: "Create certificate (P12) keys from CSRs",
    description: `${BULK} \`cert\` is the CSR, PEM or its base64 body; the answer carries the signed certificate.`,
    tag: "Asymmetric keys",
    body: CreateP12KeysRequest,
    ok: {
      status: 201,
      description: "The certificates issued (or the entries refused).",
      schema: CreateP12KeysResponse,
    },
  },
  "POST /kms/v2/keys-asym/deletes": deletes("deleteBulkP12Keys", "certificate (P12) keys", "Asymmetric keys"),
  "GET /kms/v2/keys-asym/{keyId}": {
    operationId: "getP12KeyDetails",
    summary: "Certificate (P12) key details",
    tag: "Asymmetric keys",
    ok: { status: 200, description: "The key and its alias.", schema: KeyDetailsResponse },
  },
  "PATCH /kms/v2/keys-asym/{keyId}": updateStatus("updateAsymKey", "certificate (P12) key", "Asymmetric keys"),
  "PATCH /kms/v2/keys-password/{keyId}": updateStatus(
    "updatePassword",
    "password key (shared secret, Secure Acceptance)",
    "Password keys",
  ),
  "PATCH /kms/v2/keys-pgp/{keyId}": updateStatus("updatePGP", "PGP key", "PGP keys"),
  "PATCH /kms/v2/keys-scmp/{keyId}": {
    operationId: "updateSCMP",
    summary: "Deactivate an SCMP API (SOAP Toolkit) key",
    description:
      "Only `status: inactive`; changing the expiration date or version is not offered (400). The organization is optional.",
    tag: "SCMP API keys",
    body: UpdateScmpKeyRequest,
    ok: { status: 200, description: "The key as it is now.", schema: KeyDetailsResponse },
  },
};

/** The SDK-style names of KeyCenter's own meta-key endpoints (they have no SDK method). */
const META_KEY_OPERATION_IDS: Readonly<Record<string, string>> = {
  "POST /keycenter/v1/meta-keys": "createMetaKey",
  "GET /keycenter/v1/meta-keys/{keyId}/merchants": "listMetaKeyMerchants",
  "POST /keycenter/v1/meta-keys/{keyId}/merchants": "addMetaKeyMerchants",
  "POST /keycenter/v1/meta-keys/{keyId}/merchants/deletes": "removeMetaKeyMerchants",
  "POST /keycenter/v1/meta-keys/{keyId}/regenerate": "regenerateMetaKey",
};

/**
 * KeyCenter's own meta-key endpoints (`/keycenter/v1/meta-keys...`, lib/kms/meta-keys.ts), from
 * the schemas their handlers validate with (meta-key-schemas.ts META_KEY_SCHEMAS, per endpoint).
 */
export const META_KEY_OPERATIONS: Readonly<Record<string, OperationDoc>> = Object.fromEntries(
  Object.entries(META_KEY_SCHEMAS).map(([name, s]) => {
    if (s.query && !(s.query instanceof z.ZodObject)) throw new Error(`${name}: a query schema must be an object`);
    const doc: OperationDoc = {
      operationId: META_KEY_OPERATION_IDS[name] ?? name.replace(/\W+/g, "_"),
      summary: s.summary,
      tag: "Meta keys (KeyCenter)",
      ...(s.query ? { query: s.query as z.ZodObject } : {}),
      ...(s.request ? { body: s.request } : {}),
      ok: { status: s.status, description: "Done.", schema: s.response },
      error: s.error,
    };
    return [name, doc];
  }),
);

/** This document itself: public, no authentication. */
const DOCUMENT_OPERATION = {
  operationId: "getOpenApiDocument",
  summary: "This OpenAPI document",
  tag: "Documentation",
} as const;

const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });

/**
 * The refusals every authenticated endpoint may answer (lib/kms/http.ts, auth.ts), in `error`:
 * by default the API's error answer (respond.ts errorAnswer: Cybersource's form, reason /
 * message / details also under errorInformation); the 401 is the payments API's.
 */
function refusals(hasKeyId: boolean, error: z.ZodType): RouteConfig["responses"] {
  return {
    400: json(
      error,
      "The request is not valid (a field, a header, a filter rule): one `details` entry per field, MISSING_FIELD or INVALID_DATA.",
    ),
    401: json(AuthenticationFailedResponse, "The request's authentication failed (HTTP Signature or JWT)."),
    403: json(
      error,
      "The key may not do this: not created with Key Management API, or its creator's role does not allow it.",
    ),
    ...(hasKeyId ? { 404: json(error, "No such key that this key may manage.") } : {}),
    413: json(error, "The request is larger than 4 MiB."),
    429: {
      ...json(error, "Too many requests from this key or address."),
      headers: { "retry-after": { description: "Seconds to wait.", schema: { type: "string" } } },
    },
    500: json(error, "An unexpected failure (logged with its details on the server)."),
  };
}

const MERCHANT_HEADER = z.object({
  "v-c-merchant-id": OrganizationId.optional().meta({
    description:
      "The organization the request is made as (signed with HTTP Signature). With a meta key: the transacting MID.",
  }),
});

const KEY_ID_PARAM = z.object({ keyId: KeyId.meta({ description: "The key's ID." }) });

function registerRoute(registry: OpenAPIRegistry, route: DocumentedRoute, doc: OperationDoc): void {
  const hasKeyId = route.path.includes("{keyId}");
  registry.registerPath({
    method: route.method.toLowerCase() as RouteConfig["method"],
    path: route.path,
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    request: {
      headers: MERCHANT_HEADER,
      ...(hasKeyId ? { params: KEY_ID_PARAM } : {}),
      ...(doc.query ? { query: doc.query } : {}),
      ...(doc.body ? { body: { required: true, content: { "application/json": { schema: doc.body } } } } : {}),
    },
    responses: {
      [doc.ok.status]: json(doc.ok.schema, doc.ok.description),
      ...refusals(hasKeyId, doc.error ?? ErrorResponse),
    },
  });
}

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

/** The document for these routes (the router's). Throws when a route has no documentation. */
export function kmsOpenApiDocument(routes: readonly DocumentedRoute[]): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "httpSignature", {
    type: "apiKey",
    in: "header",
    name: "signature",
    description:
      "HTTP Signature, as the payments API: `keyid` (a REST – Shared Secret key created with Key Management API), " +
      '`algorithm="HmacSHA256"`, `headers="host date request-target digest v-c-merchant-id"` (digest with a body), ' +
      "`signature` (HMAC-SHA256 keyed with the base64-decoded secret); with the `date`, `digest` and `v-c-merchant-id` headers.",
  });
  registry.registerComponent("securitySchemes", "jwt", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "`Authorization: Bearer <JWT>`, as the payments API: signed with a REST – Certificate key created with Key Management API " +
      "(its `kid`), claims `iat`, `v-c-merchant-id` and, with a body, `digest` / `digestAlgorithm`.",
  });
  const missing: string[] = [];
  for (const route of routes) {
    const name = `${route.method} ${route.path}`;
    if (route.public) {
      registry.registerPath({
        method: route.method.toLowerCase() as RouteConfig["method"],
        path: route.path,
        operationId: DOCUMENT_OPERATION.operationId,
        summary: DOCUMENT_OPERATION.summary,
        tags: [DOCUMENT_OPERATION.tag],
        security: [],
        responses: {
          200: {
            description: "This document (OpenAPI 3.1).",
            content: { "application/json": { schema: { type: "object" } } },
          },
        },
      });
      continue;
    }
    const doc = OPERATIONS[name] ?? META_KEY_OPERATIONS[name];
    if (doc) registerRoute(registry, route, doc);
    else missing.push(name);
  }
  if (missing.length) {
    throw new Error(`lib/kms/openapi.ts: no OpenAPI documentation for ${missing.join(", ")} (add it to OPERATIONS)`);
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "KeyCenter Key Management API",
      version: "2.0.0",
      description:
        "Cybersource's Key Management API (KMS v2) as KeyCenter's test environment answers it: the official Node SDK " +
        "`cybersource-rest-client` 0.0.59 (KeyManagementApi, SymmetricKeyManagementApi, AsymmetricKeyManagementApi, " +
        "KeyManagementPasswordApi, KeyManagementPgpApi, KeyManagementScmpApi) works unchanged with `intermediateHost` " +
        "pointed at KeyCenter. Authentication is the payments API's (HTTP Signature or JWT) with a key created with " +
        "Key Management API checked; it acts within its organization and those below it (a meta key: the MIDs it " +
        "covers), for the key types its creator's role may create.",
    },
    security: [{ httpSignature: [] }, { jwt: [] }],
  });
}

/** Where the document is committed (`npm run openapi` writes it; tests/unit/openapi.test.ts compares). */
export const OPENAPI_FILE = "docs/kms-openapi.json";

/** The document as committed: two-space JSON and a final newline. */
export const openApiText = (doc: OpenApiDocument): string => `${JSON.stringify(doc, null, 2)}\n`;
