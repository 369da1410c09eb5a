import type { z } from "zod";
import { recordAudit } from "@/lib/audit";
import type { Permission } from "@/lib/auth/permissions";
import { p12FriendlyName } from "@/lib/crypto/p12";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Key } from "@/lib/generated/prisma/client";
import { createKey } from "@/lib/keys/create";
import type { PemResult, SharedSecretResult } from "@/lib/keys/creators";
import { deactivateKey, deleteKey } from "@/lib/keys/lifecycle";
import { requireKeyPermissions } from "@/lib/keys/permissions";
import { DEFAULT_FILTERS, type KeySearchFilters, searchKeysByOffset } from "@/lib/keys/search";
import { keyType } from "@/lib/keys/types";
import { orgRef, type OrgRef } from "@/lib/orgs/hierarchy";
import { getOrg } from "@/lib/orgs/search";
import { ENVIRONMENT, type KmsCaller, mayManage } from "./auth";
import { ALL_KEY_TYPES, FAMILY_TYPES, type Family, KMS_TYPE_NAMES, typesNamed } from "./key-types";
import { badData, errorAnswer, forbidden, invalidRequest, type KmsAnswer, notFound, utc } from "./respond";
import {
  CreateP12KeysRequest,
  CreateSharedSecretKeysRequest,
  DeleteKeysRequest,
  SearchKeysQuery,
  UpdateKeyStatusRequest,
  UpdateScmpKeyRequest,
} from "./schemas";

/**
 * The Key Management API's endpoints (Cybersource KMS v2, as the official SDK 0.0.59 calls
 * them), on KeyCenter's services: createKey (the one creation pipeline), deactivateKey and
 * deleteKey (lib/keys/lifecycle.ts), the portal's search (lib/keys/search.ts). Every service
 * gets the caller's context (auth.ts): its permissions are those of the person who created the
 * API key, and its audit records say "via Key Management API, key …".
 */

type Entry = Record<string, unknown> & { status: string };

export function parse<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; answer: KmsAnswer } {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, data: r.data } : { ok: false, answer: invalidRequest(r.error, input) };
}

export const NOT_YOURS = "This key may not manage keys for that organization.";

/** The org named by an entry, when the caller may manage it; null otherwise (unknown or not theirs: the same answer). */
export async function manageable(caller: KmsCaller, orgId: string): Promise<(OrgRef & { name: string }) | null> {
  const org = await getOrg(orgId);
  if (!org) return null;
  const ref = orgRef(org);
  return (await mayManage(caller, ref)) ? { ...ref, name: org.name } : null;
}

function failed(base: Record<string, unknown>, message: string, field = "organizationId"): Entry {
  return {
    ...base,
    status: "FAILED",
    message,
    errorInformation: { reason: "INVALID_DATA", message, details: [{ field, reason: "INVALID_DATA" }] },
  };
}

/** One entry of a bulk request: its org checked, then `work`; an expected refusal is that entry's FAILED. */
async function entry(
  caller: KmsCaller,
  base: { organizationId: string; referenceNumber?: string; keyId?: string },
  work: (org: OrgRef) => Promise<Entry>,
): Promise<Entry> {
  const org = await manageable(caller, base.organizationId);
  if (!org) return failed(base, NOT_YOURS);
  try {
    return await work(org);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const field = e.fields?.csr || e.fields?.pem ? "cert" : e.code === "NOT_FOUND" ? "keyId" : "organizationId";
    return failed(base, e.userMessage, field);
  }
}

/** The answer to an AppError of a single-key request. */
function refusal(e: unknown): KmsAnswer {
  if (!(e instanceof AppError)) throw e;
  if (e.code === "FORBIDDEN") return forbidden(e.userMessage);
  if (e.code === "NOT_FOUND") return notFound(e.userMessage);
  return badData(e.userMessage, "status");
}

const statusOf = (k: Pick<Key, "deactivatedAt" | "expiresAt">, now = new Date()) =>
  k.deactivatedAt ? "INACTIVE" : k.expiresAt <= now ? "EXPIRED" : "ACTIVE";

/** What every bulk request carries. */
interface BulkRequest<E> {
  clientReferenceInformation?: Record<string, unknown>;
  keyInformation: E[];
}

/**
 * A bulk request: one entry at a time (each with its org checked, see `entry`), answered
 * `httpStatus` with status ACCEPTED and the entries in order, whatever each entry's outcome.
 */
async function bulk<E extends { organizationId: string; referenceNumber?: string; keyId?: string }>(
  caller: KmsCaller,
  httpStatus: number,
  request: BulkRequest<E>,
  work: (e: E, base: Record<string, string>, org: OrgRef) => Promise<Entry>,
  extra: () => Record<string, unknown> = () => ({}),
): Promise<KmsAnswer> {
  const keyInformation: Entry[] = [];
  for (const e of request.keyInformation) {
    const base = {
      organizationId: e.organizationId,
      ...(e.referenceNumber ? { referenceNumber: e.referenceNumber } : {}),
      ...(e.keyId ? { keyId: e.keyId } : {}),
    };
    keyInformation.push(await entry(caller, base, (org) => work(e, base, org)));
  }
  const cri = request.clientReferenceInformation;
  return {
    status: httpStatus,
    body: {
      submitTimeUtc: utc(new Date()),
      status: "ACCEPTED",
      ...(cri ? { clientReferenceInformation: cri } : {}),
      keyInformation,
      ...extra(),
    },
  };
}

// ---- POST /kms/v2/keys-sym ----

export async function createSharedSecretKeys(caller: KmsCaller, body: unknown): Promise<KmsAnswer> {
  const p = parse(CreateSharedSecretKeysRequest, body);
  if (!p.ok) return p.answer;
  return bulk(caller, 201, p.data, async (_e, base, org) => {
    const r = (await createKey("REST_SHARED_SECRET", { ctx: caller.context(org) })) as SharedSecretResult;
    return { ...base, keyId: r.key.id, key: r.secret, status: "ACTIVE", expirationDate: utc(r.key.expiresAt) };
  });
}

// ---- POST /kms/v2/keys-asym ----

/** The CSR as PEM: as given, or its base64 body (the API's form: no BEGIN/END lines, no line breaks). */
function csrPem(cert: string): string {
  const text = cert.replace(/\\n/g, "\n").trim();
  if (text.includes("-----BEGIN")) return text;
  const body = text.replace(/\s+/g, "");
  return `-----BEGIN CERTIFICATE REQUEST-----\n${body.match(/.{1,64}/g)?.join("\n") ?? ""}\n-----END CERTIFICATE REQUEST-----\n`;
}

export async function createP12Keys(caller: KmsCaller, body: unknown): Promise<KmsAnswer> {
  const p = parse(CreateP12KeysRequest, body);
  if (!p.ok) return p.answer;
  const certificateInformation: Record<string, string>[] = [];
  return bulk(
    caller,
    201,
    p.data,
    async (e, base, org) => {
      const r = (await createKey("REST_CERTIFICATE", {
        ctx: caller.context(org),
        csrPem: csrPem(e.cert),
      })) as PemResult;
      const alias = p12FriendlyName(r.key.id, org.id);
      const expirationDate = utc(r.key.expiresAt);
      certificateInformation.push({ alias, keyId: r.key.id, key: r.pem, expirationDate });
      return { ...base, keyId: r.key.id, key: r.pem, alias, status: "ACTIVE", expirationDate };
    },
    () => ({ certificateInformation }),
  );
}

// ---- one key: find, check ----

/** The key of `family` with this ID that the caller may manage (and that `orgId` owns, when given), or null. */
async function familyKey(caller: KmsCaller, family: Family, keyId: string, orgId?: string): Promise<Key | null> {
  const key = await prisma.key.findUnique({ where: { id: keyId } });
  if (!key || key.deletedAt || key.environment !== ENVIRONMENT) return null;
  if (!(FAMILY_TYPES[family] as readonly string[]).includes(key.type)) return null;
  if (orgId !== undefined && key.orgId !== orgId) return null;
  return (await manageable(caller, key.orgId)) ? key : null;
}

export const holds = (caller: KmsCaller, p: Permission) => caller.permissions.has(p);

// ---- GET /kms/v2/keys-sym/{keyId}, GET /kms/v2/keys-asym/{keyId} ----

export async function keyDetails(caller: KmsCaller, family: "sym" | "asym", keyId: string): Promise<KmsAnswer> {
  if (!holds(caller, "keys.view"))
    return forbidden("The role of the person who created this key does not allow viewing keys.");
  const key = await familyKey(caller, family, keyId);
  if (!key) return notFound();
  const info = {
    organizationId: key.orgId,
    keyId: key.id,
    status: statusOf(key),
    expirationDate: utc(key.expiresAt),
    ...(family === "asym" ? { alias: p12FriendlyName(key.id, key.orgId) } : {}),
  };
  return {
    status: 200,
    body: { submitTimeUtc: utc(new Date()), ...(family === "sym" ? { status: "ACCEPTED" } : {}), keyInformation: info },
  };
}

// ---- POST /kms/v2/keys-sym/deletes, POST /kms/v2/keys-asym/deletes ----

export async function deleteKeys(caller: KmsCaller, family: "sym" | "asym", body: unknown): Promise<KmsAnswer> {
  const p = parse(DeleteKeysRequest, body);
  if (!p.ok) return p.answer;
  return bulk(caller, 200, p.data, async (e, base, org) => {
    const key = await familyKey(caller, family, e.keyId, org.id);
    if (!key) return failed(base, "The key does not exist.", "keyId");
    await deleteKey({ ctx: caller.context(org), keyId: key.id });
    return { ...base, status: "INACTIVE", message: "The key was deleted." };
  });
}

// ---- PATCH keys-asym / keys-password / keys-pgp / keys-scmp /{keyId} ----

/** Activate a deactivated key again (the reverse of Deactivate, for the types that can be deactivated). */
async function activateKey(ctx: ReturnType<KmsCaller["context"]>, key: Key): Promise<void> {
  requireKeyPermissions(ctx, key.type, "keys.deactivate");
  const spec = keyType(key.type);
  if (!spec.deactivatable) {
    throw new AppError("NOT_DEACTIVATABLE", `${spec.label} keys cannot be deactivated or activated.`);
  }
  if (!key.deactivatedAt) throw new AppError("ALREADY_ACTIVE", "This key is already active.");
  if (key.expiresAt <= new Date()) throw new AppError("EXPIRED", "This key has expired; it cannot be activated.");
  await prisma.$transaction(async (tx) => {
    const updated = await tx.key.updateMany({
      where: { id: key.id, deletedAt: null, deactivatedAt: { not: null } },
      data: { deactivatedAt: null },
    });
    if (updated.count !== 1) throw new AppError("ALREADY_ACTIVE", "This key is already active.");
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: key.orgId,
      action: "key.activate",
      targetType: "key",
      targetId: key.id,
      details: { type: key.type, name: key.name },
    });
  });
}

export async function updateKeyStatus(
  caller: KmsCaller,
  family: Exclude<Family, "sym">,
  keyId: string,
  body: unknown,
): Promise<KmsAnswer> {
  let status: "active" | "inactive";
  let orgId: string | undefined;
  if (family === "scmp") {
    const p = parse(UpdateScmpKeyRequest, body);
    if (!p.ok) return p.answer;
    if (p.data.expirationDate !== undefined || p.data.version !== undefined) {
      return badData(
        "Changing the expiration date or version of a SOAP Toolkit key is not supported.",
        "expirationDate",
      );
    }
    if (!p.data.status)
      return errorAnswer(400, "MISSING_FIELD", "Declined - status: required", [
        { field: "status", reason: "MISSING_FIELD" },
      ]);
    status = p.data.status;
    orgId = p.data.organizationId;
  } else {
    const p = parse(UpdateKeyStatusRequest, body);
    if (!p.ok) return p.answer;
    status = p.data.status;
    orgId = p.data.organizationId;
  }
  const key = await familyKey(caller, family, keyId, orgId);
  if (!key) return notFound();
  const org = (await manageable(caller, key.orgId))!;
  const ctx = caller.context(org);
  try {
    if (status === "inactive") await deactivateKey({ ctx, keyId: key.id });
    else await activateKey(ctx, key);
  } catch (e) {
    return refusal(e);
  }
  const after = await prisma.key.findUniqueOrThrow({ where: { id: key.id } });
  return {
    status: 200,
    body: {
      submitTimeUtc: utc(new Date()),
      status: "ACCEPTED",
      keyInformation: {
        organizationId: after.orgId,
        keyId: after.id,
        status: statusOf(after),
        expirationDate: utc(after.expiresAt),
      },
    },
  };
}

// ---- GET /kms/v2/keys ----

const SORTS: Record<string, KeySearchFilters["sort"]> = {
  "expirationdate:asc": "expiring_soon",
  "expirationdate:desc": "expiring_last",
  "dateadded:asc": "created_oldest",
  "dateadded:desc": "created_newest",
};

export async function searchKeys(caller: KmsCaller, query: URLSearchParams): Promise<KmsAnswer> {
  const params: Record<string, string> = {};
  for (const [name, value] of query) {
    if (value === "") continue; // the SDK sends every parameter, empty when not given
    if (name in params) return badData(`Declined - ${name} is given more than once.`, name);
    params[name] = value;
  }
  const p = parse(SearchKeysQuery, params);
  if (!p.ok) return p.answer;
  const q = p.data;
  const orgFilter = !!q.organizationIds?.length;
  const keyFilter = !!q.keyIds?.length;
  const typeFilter = !!q.keyTypes?.length;
  const expiryFilter = q.expirationStartDate !== undefined || q.expirationEndDate !== undefined;
  if (typeFilter && !(orgFilter || keyFilter || expiryFilter)) {
    return badData("Declined - When keyTypes is provided, at least one more filter needs to be provided.", "keyTypes");
  }
  if (expiryFilter && !(orgFilter || keyFilter || typeFilter)) {
    return badData(
      "Declined - When an expiration date filter is provided, at least one more filter needs to be provided.",
      "expirationStartDate",
    );
  }
  if (q.expirationStartDate && q.expirationEndDate && q.expirationStartDate > q.expirationEndDate) {
    return badData("Declined - expirationEndDate must be on or after expirationStartDate.", "expirationEndDate");
  }
  if (!holds(caller, "keys.view"))
    return forbidden("The role of the person who created this key does not allow viewing keys.");
  const orgId = q.organizationIds?.[0] ?? caller.owner.id;

  const [field, direction] = (q.sort ?? "dateAdded:desc").split(":");
  const sort = `${field === "expirationDate" || field?.toLowerCase() === "expirationdate" ? "expirationDate" : "dateAdded"}:${(direction ?? "asc").toLowerCase()}`;
  const offset = q.offset ?? 0;
  const limit = q.limit ?? 20;
  const filters: KeySearchFilters = {
    ...DEFAULT_FILTERS,
    createdAt: "all",
    expiresIn: "all",
    keyId: q.keyIds?.[0] ?? "",
    sort: SORTS[sort.toLowerCase()]!,
  };
  const now = new Date();
  // The permission check and the search run at once (one round trip fewer): the search's rows
  // are read only when the check allows the organization.
  const [org, { rows, total }] = await Promise.all([
    manageable(caller, orgId),
    searchKeysByOffset({
      orgId,
      environment: ENVIRONMENT,
      filters,
      types: typeFilter ? typesNamed(q.keyTypes!) : ALL_KEY_TYPES,
      expires: { gte: q.expirationStartDate, lte: q.expirationEndDate },
      offset,
      limit,
      now,
    }),
  ]);
  if (!org) return badData(`Declined - ${NOT_YOURS}`, "organizationIds");
  const keys = rows.map((r) => {
    const d = r.details as { serialNumber?: unknown; issuer?: unknown };
    const addedBy = r.createdByEmail ?? undefined;
    return {
      organizationId: r.orgId,
      ...(org.name ? { merchantName: org.name } : {}),
      keyId: r.id,
      keyType: KMS_TYPE_NAMES[r.type],
      status: r.deactivatedAt || r.expiresAt <= now ? ("inactive" as const) : ("active" as const),
      expirationDate: utc(new Date(r.expiresAt)),
      dateAdded: utc(new Date(r.createdAt)),
      ...(addedBy ? { addedBy } : {}),
      ...(r.deactivatedAt ? { dateModified: utc(new Date(r.deactivatedAt)) } : {}),
      ...(typeof d.serialNumber === "string" ? { serialNumber: d.serialNumber } : {}),
      ...(typeof d.issuer === "string" ? { issuerName: d.issuer } : {}),
    };
  });
  return {
    status: 200,
    body: { submitTimeUtc: utc(now), totalCount: total, offset, limit, sort, count: keys.length, keys },
  };
}
