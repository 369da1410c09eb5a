import { z } from "zod";
import { safeText } from "@/lib/validation";

/**
 * The Key Management API's requests and answers as zod schemas: the handlers (handlers.ts)
 * validate every request with them, and the OpenAPI document (openapi.ts) is generated from
 * them. Field names and types are those of the official SDK's models (cybersource-rest-client
 * 0.0.59, src/model/: CreateSharedSecretKeysRequest, KmsV2KeysSymPost201Response, ...).
 */

/** An organization ID: letters, digits, _ . - (at most 30, as the API's own rule). */
export const OrganizationId = z
  .string()
  .trim()
  .min(1)
  .max(30)
  .regex(/^[A-Za-z0-9_.-]+$/, "must be an organization ID");

export const KeyId = safeText().trim().min(1).max(100);

const ReferenceNumber = safeText().max(100).optional();

export const ClientReferenceInformation = z
  .looseObject({
    code: safeText().max(100).optional(),
    comments: safeText().max(1000).optional(),
  })
  .meta({ id: "Kmsv2keyssymClientReferenceInformation" });

/** At most this many entries in one create or delete request. */
export const MAX_ENTRIES = 100;

/** A bulk request: clientReferenceInformation, and 1 to MAX_ENTRIES entries, each for an organization. */
function bulkRequest<S extends z.ZodRawShape>(id: string, entry: S) {
  return z
    .object({
      clientReferenceInformation: ClientReferenceInformation.optional(),
      keyInformation: z
        .array(z.object({ organizationId: OrganizationId, referenceNumber: ReferenceNumber, ...entry }))
        .min(1)
        .max(MAX_ENTRIES),
    })
    .meta({ id });
}

export const CreateSharedSecretKeysRequest = bulkRequest("CreateSharedSecretKeysRequest", {});

/** The CSR in `cert`: PEM, or its base64 body without the BEGIN/END lines and line breaks. */
export const CreateP12KeysRequest = bulkRequest("CreateP12KeysRequest", {
  cert: safeText({ multiline: true }).min(1).max(20_000),
});

export const DeleteKeysRequest = bulkRequest("DeleteBulkKeysRequest", { keyId: KeyId });

/** Status can be active/inactive (UpdateAsymKeysRequest, UpdatePasswordKeysRequest, UpdatePGPKeysRequest). */
export const UpdateKeyStatusRequest = z
  .object({
    status: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(["active", "inactive"])),
    organizationId: OrganizationId,
  })
  .meta({ id: "UpdateKeyStatusRequest" });

/** UpdatePGPKeysRequest1 (SCMP_API): only `inactive`; expiration date and version changes are not offered. */
export const UpdateScmpKeyRequest = z
  .object({
    organizationId: OrganizationId.optional(),
    status: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(["inactive"]))
      .optional(),
    expirationDate: safeText().max(40).optional(),
    version: safeText().max(40).optional(),
    comment: safeText().max(1000).optional(),
  })
  .meta({ id: "UpdateScmpKeyRequest" });

/** The key types searchKeys knows (`keyTypes`). */
export const KMS_KEY_TYPES = ["certificate", "password", "pgp", "scmp_api"] as const;

const csv = (item: z.ZodType<string, string>, max: number, name: string) =>
  z
    .string()
    .transform((s) => s.split(",").map((v) => v.trim()))
    .pipe(z.array(item).max(max, `at most ${max} ${name}`));

const instant = z
  .string()
  .max(40)
  .transform((s, c) => {
    const t = Date.parse(s);
    if (Number.isNaN(t)) {
      c.addIssue({ code: "custom", message: "must be a date and time" });
      return z.NEVER;
    }
    return new Date(t);
  });

const nonNegative = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

/** The sort fields: `expirationDate` or `dateAdded`, each optionally `:asc` / `:desc`. */
export const SORT_FIELDS = ["expirationDate", "dateAdded"] as const;

export const MAX_SEARCH_LIMIT = 100;

/** searchKeys' query (KeyManagementApi.searchKeys): lists are comma-separated, as the SDK sends them. */
export const SearchKeysQuery = z
  .object({
    offset: nonNegative(1_000_000_000).optional(),
    limit: nonNegative(MAX_SEARCH_LIMIT).pipe(z.number().min(1, "must be at least 1")).optional(),
    sort: z
      .string()
      .max(60)
      .regex(/^(expirationDate|dateAdded)(:(asc|desc))?$/i, "must be expirationDate or dateAdded, with :asc or :desc")
      .optional(),
    organizationIds: csv(OrganizationId, 1, "organization ID").optional(),
    keyIds: csv(KeyId, 1, "key ID").optional(),
    keyTypes: csv(z.enum(KMS_KEY_TYPES), KMS_KEY_TYPES.length, "key types").optional(),
    expirationStartDate: instant.optional(),
    expirationEndDate: instant.optional(),
  })
  .strict()
  .meta({ id: "SearchKeysQuery" });
export type SearchKeysQuery = z.infer<typeof SearchKeysQuery>;

// ---- answers ----

const Detail = z.object({ field: z.string().optional(), reason: z.string().optional() });
export const ErrorInformation = z
  .object({ reason: z.string().optional(), message: z.string().optional(), details: z.array(Detail).optional() })
  .meta({ id: "KmsV2KeysSymPost201ResponseErrorInformation" });

/** The error answer (InlineResponse4006, InlineResponse5002), with the same three fields also under errorInformation. */
export const ErrorResponse = z
  .object({
    submitTimeUtc: z.string(),
    status: z.string(),
    reason: z.string(),
    message: z.string(),
    details: z.array(Detail).optional(),
    errorInformation: ErrorInformation,
  })
  .meta({ id: "KmsErrorResponse" });

const EntryCommon = {
  organizationId: z.string().optional(),
  referenceNumber: z.string().optional(),
  keyId: z.string().optional(),
  status: z.string(),
  expirationDate: z.string().optional(),
  message: z.string().optional(),
  errorInformation: ErrorInformation.optional(),
};

export const SymKeyEntry = z
  .object({ ...EntryCommon, key: z.string().optional() })
  .meta({ id: "KmsV2KeysSymPost201ResponseKeyInformation" });

export const CreateSharedSecretKeysResponse = z
  .object({
    submitTimeUtc: z.string(),
    status: z.string(),
    clientReferenceInformation: ClientReferenceInformation.optional(),
    keyInformation: z.array(SymKeyEntry),
  })
  .meta({ id: "KmsV2KeysSymPost201Response" });

export const AsymKeyEntry = z
  .object({ ...EntryCommon, key: z.string().optional(), alias: z.string().optional() })
  .meta({ id: "KmsV2KeysAsymPost201ResponseKeyInformation" });

export const CertificateEntry = z
  .object({
    alias: z.string().optional(),
    keyId: z.string().optional(),
    key: z.string().optional(),
    expirationDate: z.string().optional(),
  })
  .meta({ id: "KmsV2KeysAsymPost201ResponseCertificateInformation" });

export const CreateP12KeysResponse = z
  .object({
    submitTimeUtc: z.string(),
    status: z.string(),
    clientReferenceInformation: ClientReferenceInformation.optional(),
    keyInformation: z.array(AsymKeyEntry),
    certificateInformation: z.array(CertificateEntry),
  })
  .meta({ id: "KmsV2KeysAsymPost201Response" });

export const DeleteKeysResponse = z
  .object({
    submitTimeUtc: z.string(),
    status: z.string(),
    clientReferenceInformation: ClientReferenceInformation.optional(),
    keyInformation: z.array(z.object(EntryCommon)),
  })
  .meta({ id: "KmsV2KeysDeletesPost200Response" });

export const KeyDetailsResponse = z
  .object({
    submitTimeUtc: z.string(),
    status: z.string().optional(),
    keyInformation: z.object({ ...EntryCommon, alias: z.string().optional() }),
  })
  .meta({ id: "KmsV2KeysGet200Response" });

export const SearchKey = z
  .object({
    organizationId: z.string(),
    merchantName: z.string().optional(),
    keyId: z.string(),
    keyType: z.string(),
    status: z.enum(["active", "inactive"]),
    expirationDate: z.string(),
    dateAdded: z.string(),
    addedBy: z.string().optional(),
    dateModified: z.string().optional(),
    serialNumber: z.string().optional(),
    issuerName: z.string().optional(),
  })
  .meta({ id: "InlineResponse2001Keys" });

export const SearchKeysResponse = z
  .object({
    submitTimeUtc: z.string(),
    totalCount: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    sort: z.string(),
    count: z.number().int(),
    keys: z.array(SearchKey),
  })
  .meta({ id: "InlineResponse2001" });
