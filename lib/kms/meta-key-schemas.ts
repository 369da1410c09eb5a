import { z } from "zod";
import { KEY_NAME_MAX } from "@/lib/keys/create";
import { safeText } from "@/lib/validation";
import { ErrorResponse, OrganizationId } from "./schemas";

/**
 * KeyCenter's own meta-key endpoints (`/keycenter/v1/meta-keys`, not part of Cybersource's
 * KMS v2, which has none): their requests and answers as zod schemas. The handlers
 * (meta-keys.ts) validate with them and the OpenAPI document is generated from them
 * (META_KEY_SCHEMAS, per endpoint). MIDs are organization IDs (OrganizationId: at most 30
 * characters of letters, digits, _ . -), so 100,000 of them fit in the API's 4 MiB body.
 */

/** At most this many MIDs in one create, add or remove request. */
export const MAX_META_KEY_MIDS = 100_000;

/** At most this many MIDs in one page of a key's assignments. */
export const MAX_ASSIGNMENTS_LIMIT = 1_000;
export const DEFAULT_ASSIGNMENTS_LIMIT = 100;

const MerchantIds = z
  .array(OrganizationId)
  .min(1)
  .max(MAX_META_KEY_MIDS, `at most ${MAX_META_KEY_MIDS} merchant IDs`)
  .meta({ id: "MetaKeyMerchantIds", description: "Transacting merchant IDs (MIDs)." });

/** Scopes: every current and future MID below the owner (a flag), or a custom list (rows). */
export const MetaKeyScope = z
  .enum(["ALL", "CUSTOM"])
  .meta({ id: "MetaKeyScope", description: "ALL: all current and future MIDs; CUSTOM: the MIDs listed." });

/** The options of a new key: its name and whether it may itself use the Key Management API. */
const NewKeyOptions = {
  name: safeText().trim().max(KEY_NAME_MAX).optional(),
  keyManagementApi: z.boolean().default(false),
};

const CreateCommon = {
  /** The portfolio or merchant account that owns the key (default: the calling key's organization). */
  organizationId: OrganizationId.optional(),
  /** The meta key's type (REST – Shared Secret: a key ID and a secret, returned once). */
  keyType: z.literal("REST_SHARED_SECRET").default("REST_SHARED_SECRET"),
  ...NewKeyOptions,
};

export const CreateMetaKeyRequest = z
  .discriminatedUnion("scope", [
    z.strictObject({ ...CreateCommon, scope: z.literal("ALL") }),
    z.strictObject({ ...CreateCommon, scope: z.literal("CUSTOM"), merchantIds: MerchantIds }),
  ])
  .meta({ id: "CreateMetaKeyRequest" });
export type CreateMetaKeyRequest = z.infer<typeof CreateMetaKeyRequest>;

export const RegenerateMetaKeyRequest = z.strictObject(NewKeyOptions).meta({ id: "RegenerateMetaKeyRequest" });

/** Add or remove MIDs of a meta key's custom selection. */
export const MetaKeyMerchantsRequest = z
  .strictObject({ merchantIds: MerchantIds })
  .meta({ id: "MetaKeyMerchantsRequest" });

const count = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().max(max));

/** A page of assignments: `offset` (default 0) and `limit` (1 to MAX_ASSIGNMENTS_LIMIT, default 100). */
export const MetaKeyMerchantsQuery = z
  .strictObject({
    offset: count(1_000_000_000).optional(),
    limit: count(MAX_ASSIGNMENTS_LIMIT).pipe(z.number().min(1, "must be at least 1")).optional(),
  })
  .meta({ id: "MetaKeyMerchantsQuery" });

// ---- answers ----

export const MetaKeyInformation = z
  .object({
    organizationId: z.string(),
    keyId: z.string(),
    keyType: z.string(),
    /** The shared secret: in this answer only, never again. */
    key: z.string().optional(),
    scope: MetaKeyScope,
    /** CUSTOM: the number of MIDs assigned. */
    merchantCount: z.number().int().optional(),
    /** Regenerate: the key this one was made from (it stays active). */
    regeneratedFrom: z.string().optional(),
    status: z.string(),
    expirationDate: z.string(),
  })
  .meta({ id: "MetaKeyInformation" });

export const MetaKeyCreatedResponse = z
  .object({ submitTimeUtc: z.string(), status: z.string(), keyInformation: MetaKeyInformation })
  .meta({ id: "MetaKeyCreatedResponse" });

export const MetaKeyMerchantsResponse = z
  .object({
    submitTimeUtc: z.string(),
    keyId: z.string(),
    organizationId: z.string(),
    /** ALL has no assignments: it serves every current and future MID, resolved when a request arrives. */
    scope: MetaKeyScope,
    totalCount: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    count: z.number().int(),
    merchants: z.array(z.object({ organizationId: z.string() }).meta({ id: "MetaKeyMerchant" })),
  })
  .meta({ id: "MetaKeyMerchantsResponse" });

export const MetaKeyMerchantsChangedResponse = z
  .object({
    submitTimeUtc: z.string(),
    status: z.string(),
    keyId: z.string(),
    organizationId: z.string(),
    scope: MetaKeyScope,
    added: z.number().int(),
    removed: z.number().int(),
    /** The MIDs assigned after the change. */
    merchantCount: z.number().int(),
  })
  .meta({ id: "MetaKeyMerchantsChangedResponse" });

interface EndpointSchemas {
  summary: string;
  /** The success status. */
  status: number;
  request?: z.ZodType;
  query?: z.ZodType;
  response: z.ZodType;
  /** Every refusal (400, 401, 403, 404, 405, 413, 429) and 500. */
  error: z.ZodType;
}

/** Per endpoint (as lib/kms/http.ts's KMS_ENDPOINTS names it): what it takes and answers. */
export const META_KEY_SCHEMAS: Record<string, EndpointSchemas> = {
  "POST /keycenter/v1/meta-keys": {
    summary: "Create a meta key for all current and future MIDs, or for the MIDs listed",
    status: 201,
    request: CreateMetaKeyRequest,
    response: MetaKeyCreatedResponse,
    error: ErrorResponse,
  },
  "GET /keycenter/v1/meta-keys/{keyId}/merchants": {
    summary: "List a meta key's assigned MIDs, one page",
    status: 200,
    query: MetaKeyMerchantsQuery,
    response: MetaKeyMerchantsResponse,
    error: ErrorResponse,
  },
  "POST /keycenter/v1/meta-keys/{keyId}/merchants": {
    summary: `Add MIDs to a meta key's custom selection (up to ${MAX_META_KEY_MIDS.toLocaleString("en-US")} in one call)`,
    status: 200,
    request: MetaKeyMerchantsRequest,
    response: MetaKeyMerchantsChangedResponse,
    error: ErrorResponse,
  },
  "POST /keycenter/v1/meta-keys/{keyId}/merchants/deletes": {
    summary: `Remove MIDs from a meta key's custom selection (up to ${MAX_META_KEY_MIDS.toLocaleString("en-US")} in one call)`,
    status: 200,
    request: MetaKeyMerchantsRequest,
    response: MetaKeyMerchantsChangedResponse,
    error: ErrorResponse,
  },
  "POST /keycenter/v1/meta-keys/{keyId}/regenerate": {
    summary: "Regenerate a meta key: a new key with the same scope and MIDs; the original stays active",
    status: 201,
    request: RegenerateMetaKeyRequest,
    response: MetaKeyCreatedResponse,
    error: ErrorResponse,
  },
};
