import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Key } from "@/lib/generated/prisma/client";
import { createKey } from "@/lib/keys/create";
import type { SharedSecretResult } from "@/lib/keys/creators";
import { editMetaKey, midsNotBelow } from "@/lib/keys/meta";
import { metaKeyAssignments, regenerationOf } from "@/lib/keys/queries";
import { keyType } from "@/lib/keys/types";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { ENVIRONMENT, type KmsCaller } from "./auth";
import { holds, manageable, NOT_YOURS, parse } from "./handlers";
import {
  CreateMetaKeyRequest,
  DEFAULT_ASSIGNMENTS_LIMIT,
  MetaKeyMerchantsQuery,
  MetaKeyMerchantsRequest,
  RegenerateMetaKeyRequest,
} from "./meta-key-schemas";
import { badData, forbidden, type KmsAnswer, notFound, utc } from "./respond";

/**
 * KeyCenter's own meta-key endpoints (`/keycenter/v1/meta-keys`), on the portal's services:
 * createKey with `ctx.meta` (create) or `ctx.regenerateFrom` (Regenerate meta key),
 * editMetaKey (add and remove MIDs: one INSERT … SELECT / one DELETE, whatever the count) and
 * the assignments listing (lib/keys/queries.ts). The services keep every rule: Manage meta
 * keys and the key type's permissions of the person who created the calling key, only
 * transacting MIDs below the key's owner, the meta-key feature switch. Here, as the portal's
 * actions do: the endpoint's permission (`keys.meta`; `keys.view` to list) and the org scope
 * (handlers.ts manageable). A request naming a MID the owner may not act for is refused whole,
 * nothing assigned (the portal's service would leave it out silently).
 */

/** Meta keys of another type need a CSR or a password: created and regenerated on Key Management. */
const API_META_TYPE = "REST_SHARED_SECRET";

/**
 * The refusal of a caller that may not do this: a key whose own MIDs are a custom selection
 * acts for those MIDs only and may not hand a meta key more MIDs than it has, so it may not
 * manage meta keys at all; and the creator's role must hold `permission`.
 */
function refuseCaller(caller: KmsCaller, permission: "keys.meta" | "keys.view"): KmsAnswer | null {
  if (caller.metaScope === "CUSTOM") {
    return forbidden(
      `Key ${caller.keyId} is a meta key for a custom selection of MIDs: only a key of the organization itself, or a meta key for all its MIDs, may manage meta keys.`,
    );
  }
  if (holds(caller, permission)) return null;
  return forbidden(
    permission === "keys.meta"
      ? "The role of the person who created this key does not include Manage meta keys."
      : "The role of the person who created this key does not allow viewing keys.",
  );
}

/** The answer to a service's expected refusal. */
function refusal(e: unknown, field: string): KmsAnswer {
  if (!(e instanceof AppError)) throw e;
  if (e.code === "FORBIDDEN" || e.code === "META_DISABLED") return forbidden(e.userMessage);
  if (e.code === "NOT_FOUND") return notFound(e.userMessage);
  return badData(`Declined - ${e.userMessage}`, field);
}

/** Refuses a request naming MIDs the owner may not act for (their first few named). */
async function refuseOutside(owner: OrgRef, mids: readonly string[]): Promise<KmsAnswer | null> {
  const outside = await midsNotBelow(owner, mids);
  if (!outside.length) return null;
  return badData(
    `Declined - Not transacting merchant IDs of ${owner.id}: ${outside.join(", ")}${outside.length >= 10 ? ", …" : ""}. Nothing was changed.`,
    "merchantIds",
  );
}

const NO_META_KEY = "No meta key with this ID.";

/**
 * The meta key with this ID the caller may manage (holding `permission`), and its owner; else
 * the answer: the caller's refusal, or 404 for an unknown, deleted, regular or foreign key.
 */
async function metaKeyFor(
  caller: KmsCaller,
  keyId: string,
  permission: "keys.meta" | "keys.view",
): Promise<{ key: Omit<Key, "secretCiphertext">; org: OrgRef } | KmsAnswer> {
  const refused = refuseCaller(caller, permission);
  if (refused) return refused;
  const key = await prisma.key.findUnique({ where: { id: keyId }, omit: { secretCiphertext: true } });
  if (!key || key.deletedAt || key.environment !== ENVIRONMENT || !key.metaScope) return notFound(NO_META_KEY);
  const org = await manageable(caller, key.orgId);
  return org ? { key, org } : notFound(NO_META_KEY);
}

const assignedCount = async (keyId: string) => (await metaKeyAssignments({ keyId, offset: 0, limit: 0 })).total;

/** 201 with the new key, its secret (this once) and its scope. */
async function createdAnswer(r: SharedSecretResult): Promise<KmsAnswer> {
  const { key } = r;
  return {
    status: 201,
    body: {
      submitTimeUtc: utc(new Date()),
      status: "ACCEPTED",
      keyInformation: {
        organizationId: key.orgId,
        keyId: key.id,
        keyType: key.type,
        key: r.secret,
        scope: key.metaScope,
        ...(key.metaScope === "CUSTOM" ? { merchantCount: await assignedCount(key.id) } : {}),
        ...(key.regeneratedFromId ? { regeneratedFrom: key.regeneratedFromId } : {}),
        status: "ACTIVE",
        expirationDate: utc(key.expiresAt),
      },
    },
  };
}

// ---- POST /keycenter/v1/meta-keys ----

export async function createMetaKey(caller: KmsCaller, body: unknown): Promise<KmsAnswer> {
  const p = parse(CreateMetaKeyRequest, body);
  if (!p.ok) return p.answer;
  const req = p.data;
  const refused = refuseCaller(caller, "keys.meta");
  if (refused) return refused;
  const org = await manageable(caller, req.organizationId ?? caller.owner.id);
  if (!org) return badData(`Declined - ${NOT_YOURS}`, "organizationId");
  if (req.scope === "CUSTOM") {
    const outside = await refuseOutside(org, req.merchantIds);
    if (outside) return outside;
  }
  const meta = req.scope === "ALL" ? { scope: "ALL" as const } : { scope: "CUSTOM" as const, mids: req.merchantIds };
  try {
    const r = await createKey(req.keyType, {
      ctx: { ...caller.context(org), meta },
      name: req.name,
      kmsApi: req.keyManagementApi,
    });
    return await createdAnswer(r);
  } catch (e) {
    return refusal(e, "organizationId");
  }
}

// ---- POST /keycenter/v1/meta-keys/{keyId}/regenerate ----

export async function regenerateMetaKey(caller: KmsCaller, keyId: string, body: unknown): Promise<KmsAnswer> {
  const p = parse(RegenerateMetaKeyRequest, body ?? {});
  if (!p.ok) return p.answer;
  const found = await metaKeyFor(caller, keyId, "keys.meta");
  if (!("key" in found)) return found;
  if (found.key.type !== API_META_TYPE) {
    return badData(
      `Declined - ${keyType(found.key.type).label} meta keys are regenerated on Key Management (they need a CSR or a password).`,
      "keyId",
    );
  }
  const already = () => badData("Declined - This meta key has already been regenerated.", "keyId");
  if (await regenerationOf(keyId)) return already();
  try {
    const r = await createKey(API_META_TYPE, {
      ctx: { ...caller.context(found.org), regenerateFrom: keyId },
      name: p.data.name,
      kmsApi: p.data.keyManagementApi,
    });
    return await createdAnswer(r);
  } catch (e) {
    // Regenerated at the same moment by another request: the unique regeneratedFromId.
    if ((e as { code?: string }).code === "P2002") return already();
    return refusal(e, "keyId");
  }
}

// ---- GET /keycenter/v1/meta-keys/{keyId}/merchants ----

export async function listMetaKeyMerchants(
  caller: KmsCaller,
  keyId: string,
  query: URLSearchParams,
): Promise<KmsAnswer> {
  const names = [...query.keys()];
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined)
    return badData(`Declined - ${repeated.slice(0, 40)} is given more than once.`, repeated.slice(0, 40));
  const p = parse(MetaKeyMerchantsQuery, Object.fromEntries([...query].filter(([, v]) => v !== "")));
  if (!p.ok) return p.answer;
  const found = await metaKeyFor(caller, keyId, "keys.view");
  if (!("key" in found)) return found;
  const offset = p.data.offset ?? 0;
  const limit = p.data.limit ?? DEFAULT_ASSIGNMENTS_LIMIT;
  const { total, mids } =
    found.key.metaScope === "CUSTOM" ? await metaKeyAssignments({ keyId, offset, limit }) : { total: 0, mids: [] };
  return {
    status: 200,
    body: {
      submitTimeUtc: utc(new Date()),
      keyId,
      organizationId: found.key.orgId,
      scope: found.key.metaScope,
      totalCount: total,
      offset,
      limit,
      count: mids.length,
      merchants: mids.map((organizationId) => ({ organizationId })),
    },
  };
}

// ---- POST /keycenter/v1/meta-keys/{keyId}/merchants, …/merchants/deletes ----

export async function changeMetaKeyMerchants(
  caller: KmsCaller,
  keyId: string,
  change: "add" | "remove",
  body: unknown,
): Promise<KmsAnswer> {
  const p = parse(MetaKeyMerchantsRequest, body);
  if (!p.ok) return p.answer;
  const found = await metaKeyFor(caller, keyId, "keys.meta");
  if (!("key" in found)) return found;
  if (found.key.metaScope !== "CUSTOM") {
    return badData(
      "Declined - This meta key serves all current and future MIDs: it has no list of MIDs to change.",
      "keyId",
    );
  }
  const mids = p.data.merchantIds;
  if (change === "add") {
    const outside = await refuseOutside(found.org, mids);
    if (outside) return outside;
  }
  try {
    const r = await editMetaKey({
      ctx: caller.context(found.org),
      keyId,
      edit: { meta: true, scope: "CUSTOM", add: change === "add" ? mids : [], remove: change === "remove" ? mids : [] },
    });
    return {
      status: 200,
      body: {
        submitTimeUtc: utc(new Date()),
        status: "ACCEPTED",
        keyId,
        organizationId: found.key.orgId,
        scope: r.scope,
        added: r.added,
        removed: r.removed,
        merchantCount: await assignedCount(keyId),
      },
    };
  } catch (e) {
    return refusal(e, "merchantIds");
  }
}
