import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { parsePgpPublicKey } from "@/lib/crypto/pgp";
import { parseRsaPublicKey } from "@/lib/crypto/public-key";
import { openSecret, sealedVersion, sealSecret } from "@/lib/crypto/secrets";
import { prisma, type Tx } from "@/lib/db";
import type { Key, Prisma } from "@/lib/generated/prisma/client";
import type { Environment, KeyType } from "@/lib/generated/prisma/enums";
import type { ServiceContext } from "@/lib/context";
import { applyMetaOnCreate } from "@/lib/keys/meta";
import { accessKeyId, uuidKeyId } from "@/lib/keys/ids";
import { expiryFor, isRetired, keyType } from "@/lib/keys/types";

/**
 * Secrets and public keys (SPEC K3, K5, K6, K8, K9): REST shared secrets, Secure Acceptance
 * access/secret keys, PGP public keys, Token Management MLE public keys, and the SOAP Toolkit
 * retirement. Every service writes the key and its audit record in one transaction; secrets
 * are returned once and stored only sealed (AES-256-GCM, lib/crypto/secrets.ts).
 */

/** A key row as services hand it out: everything but the sealed secret. */
export type CreatedKey = Omit<Key, "secretCiphertext">;

export interface KeyDownload {
  filename: string;
  contentType: string;
  content: string;
}

export const KEY_NAME_MAX = 100;

// ---- creatable at all? (registry: creatable, retiredFrom) ----

function longDate(iso: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
}

/**
 * The user-facing text for a type retired in an environment, built from the registry
 * (e.g. "SOAP Toolkit keys are no longer supported in the test environment since July 16, 2025. …"),
 * or null when the type has no retirement date there.
 */
export function retiredMessage(type: KeyType, environment: Environment): string | null {
  return retiredText(type, environment, (label) => `New ${label} keys cannot be created; existing ones stay listed.`);
}

/**
 * The gateway's refusal of a request authenticated with a key of a type retired in
 * `environment` on `at` (SOAP Toolkit), or null while the type is not retired there:
 * `faultstring` for the caller (since when, and the registry's pointer to the replacement),
 * `reason` for the log and the transaction row.
 */
export function retiredRefusal(
  type: KeyType,
  environment: Environment,
  at: Date,
): { reason: string; faultstring: string } | null {
  const faultstring = retiredText(type, environment, () => "");
  if (!faultstring || !isRetired(type, environment, at)) return null;
  const since = keyType(type).retiredFrom?.[environment];
  return { reason: `${keyType(type).label} keys are retired in ${environment} since ${since}`, faultstring };
}

function retiredText(type: KeyType, environment: Environment, middle: (label: string) => string): string | null {
  const spec = keyType(type);
  const from = spec.retiredFrom?.[environment];
  if (!from) return null;
  return [
    `${spec.label} keys are no longer supported in the ${environment.toLowerCase()} environment since ${longDate(from)}.`,
    middle(spec.label),
    spec.retiredNote ?? "",
  ]
    .filter(Boolean)
    .join(" ");
}

export type Creatability = { creatable: true } | { creatable: false; code: string; message: string };

/** Whether a new key of `type` may be created in `environment` at `now` (for the Create Key page). */
export function creatability(input: { type: KeyType; environment: Environment; now?: Date }): Creatability {
  const spec = keyType(input.type);
  if (!spec.creatable) {
    return {
      creatable: false,
      code: "KEY_TYPE_NOT_CREATABLE",
      message: `${spec.label} keys cannot be created in KeyCenter; they are found by search only.`,
    };
  }
  if (isRetired(input.type, input.environment, input.now ?? new Date())) {
    return { creatable: false, code: "KEY_TYPE_RETIRED", message: retiredMessage(input.type, input.environment)! };
  }
  return { creatable: true };
}

/** Throws AppError (code KEY_TYPE_RETIRED or KEY_TYPE_NOT_CREATABLE) unless `type` may be created. */
export function assertCreatable(input: { type: KeyType; environment: Environment; now?: Date }): void {
  const c = creatability(input);
  if (!c.creatable) throw new AppError(c.code, c.message, { type: c.message });
}

// ---- shared pieces ----

function clock(ctx: ServiceContext): Date {
  return ctx.now ?? new Date();
}

function keyName(name: string | undefined, fallback: string, required = false): string {
  const trimmed = (name ?? "").trim();
  if (!trimmed) {
    if (required)
      throw new AppError("INVALID_INPUT", "Enter a name for this key.", { name: "Enter a name for this key." });
    return fallback;
  }
  if (trimmed.length > KEY_NAME_MAX) {
    const message = `Key names can be at most ${KEY_NAME_MAX} characters long.`;
    throw new AppError("INVALID_INPUT", message, { name: message });
  }
  return trimmed;
}

function defaultName(type: KeyType, now: Date): string {
  return `${keyType(type).label} ${now.toISOString().slice(0, 10)}`;
}

/** The start of every creator: the clock, the retirement check, the key's name. */
function begin(ctx: ServiceContext, type: KeyType, name: string | undefined, nameRequired = false) {
  const now = clock(ctx);
  assertCreatable({ type, environment: ctx.environment, now });
  return { now, name: keyName(name, defaultName(type, now), nameRequired) };
}

/**
 * Inserts the key and its "key.create" audit record in one transaction. `check` runs first
 * inside the same transaction (e.g. a duplicate check) and may throw to roll everything back.
 */
async function insertKey(
  ctx: ServiceContext,
  data: Omit<Prisma.KeyUncheckedCreateInput, "orgId" | "environment" | "createdById" | "custodianId">,
  auditDetails: Prisma.InputJsonObject,
  check?: (tx: Tx) => Promise<void>,
): Promise<CreatedKey> {
  return prisma.$transaction(async (tx) => {
    if (check) await check(tx);
    const created = await tx.key.create({
      data: {
        ...data,
        orgId: ctx.org.id,
        environment: ctx.environment,
        createdById: ctx.actor.actorId,
        custodianId: ctx.custodianId ?? null,
      },
      omit: { secretCiphertext: true },
    });
    Object.assign(created, await applyMetaOnCreate(tx, ctx, created));
    await recordAudit(tx, {
      ...ctx.actor,
      action: "key.create",
      orgId: ctx.org.id,
      targetType: "key",
      targetId: created.id,
      details: {
        type: created.type,
        environment: created.environment,
        name: created.name,
        expiresAt: created.expiresAt.toISOString(),
        ...auditDetails,
      },
    });
    return created;
  });
}

/**
 * Refuses a public key whose fingerprint is already on an active key of the same type for
 * the same org and environment. A transaction-scoped advisory lock on (org, fingerprint)
 * keeps two simultaneous uploads of the same key from both passing.
 */
function noActiveDuplicate(ctx: ServiceContext, type: KeyType, fingerprint: string, now: Date) {
  return async (tx: Tx) => {
    const lock = `key-fingerprint:${ctx.org.id}:${ctx.environment}:${fingerprint}`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${lock}))`;
    const existing = await tx.key.findFirst({
      where: {
        orgId: ctx.org.id,
        environment: ctx.environment,
        type,
        fingerprint,
        deactivatedAt: null,
        deletedAt: null,
        expiresAt: { gt: now },
      },
      select: { id: true },
    });
    if (existing) {
      const message = `This key is already active for ${ctx.org.id} in the ${ctx.environment.toLowerCase()} environment (key ID ${existing.id}). Deactivate or delete that key first, or paste a different key.`;
      throw new AppError("DUPLICATE_KEY", message, { publicKey: message });
    }
  };
}

function sealed(
  secret: string,
  keyId: string,
): { secretCiphertext: Uint8Array<ArrayBuffer>; secretKeyVersion: number } {
  const blob = sealSecret(secret, keyId);
  return { secretCiphertext: new Uint8Array(blob), secretKeyVersion: sealedVersion(blob) };
}

/** Inserts a pasted public key (PGP, MLE) after the duplicate check. */
function insertPublicKey(
  ctx: ServiceContext,
  row: {
    type: KeyType;
    name: string;
    now: Date;
    expiresAt: Date;
    publicKey: string;
    fingerprint: string;
    details: Prisma.InputJsonObject;
  },
  auditDetails: Prisma.InputJsonObject = {},
): Promise<CreatedKey> {
  const { type, name, now, expiresAt, publicKey, fingerprint, details } = row;
  return insertKey(
    ctx,
    { id: uuidKeyId(), type, name, createdAt: now, expiresAt, publicKey, fingerprint, details },
    { fingerprint, ...auditDetails },
    noActiveDuplicate(ctx, type, fingerprint, now),
  );
}

/** Opens a key's sealed secret (shared secret, Secure Acceptance secret key). Never log the result. */
export function readSecret(key: Pick<Key, "id" | "secretCiphertext">): string {
  if (!key.secretCiphertext) throw new Error(`Key ${key.id} has no stored secret`);
  return openSecret(key.secretCiphertext, key.id).toString("utf8");
}

// ---- REST – Shared Secret (K3, guide {#restgs-security-key-pair-task}) ----

export const SHARED_SECRET_MERCHANT_ONLY =
  "Only transacting merchant account users can create a shared secret key. Portfolio and merchant account users create shared secret keys as meta keys, or switch to a transacting merchant ID first.";

export interface SharedSecretResult {
  key: CreatedKey;
  /** Shown once; never stored in plaintext. */
  secret: string;
  download: KeyDownload;
}

/** A key ID (UUID) and a shared secret (32 random bytes, base64), for HTTP Signature authentication. */
export async function createSharedSecretKey(input: {
  ctx: ServiceContext;
  name?: string;
}): Promise<SharedSecretResult> {
  const { ctx } = input;
  const type: KeyType = "REST_SHARED_SECRET";
  const { now, name } = begin(ctx, type, input.name);
  const asMeta = ctx.meta !== undefined || ctx.regenerateFrom !== undefined;
  if (ctx.org.type !== "MERCHANT" && !asMeta) throw new AppError("MERCHANT_ONLY", SHARED_SECRET_MERCHANT_ONLY);
  const id = uuidKeyId();
  const secret = randomBytes(32).toString("base64");
  const key = await insertKey(
    ctx,
    {
      id,
      type,
      name,
      createdAt: now,
      expiresAt: expiryFor(type, now),
      ...sealed(secret, id),
    },
    {},
  );
  return {
    key,
    secret,
    download: {
      filename: `${id}.pem`,
      contentType: "application/x-pem-file",
      content:
        `Merchant ID: ${ctx.org.id}\n` +
        `Environment: ${ctx.environment.toLowerCase()}\n` +
        `Key ID: ${id}\n` +
        `Shared Secret: ${secret}\n`,
    },
  };
}

// ---- Secure Acceptance (K6, guide {#keys-secure-acceptance-create}) ----

export const SIGNATURE_VERSIONS = ["1"] as const;
export const SIGNATURE_METHODS = ["HMAC-SHA256"] as const;

export interface SecureAcceptanceResult {
  key: CreatedKey;
  /** The access key: also the key ID (32 hex characters). */
  accessKey: string;
  /** 256 hex characters, as Secure Acceptance secret keys are; shown once. */
  secretKey: string;
  download: KeyDownload;
}

export async function createSecureAcceptanceKey(input: {
  ctx: ServiceContext;
  name: string;
  signatureVersion: string;
  signatureMethod: string;
  securityProfileId: string;
}): Promise<SecureAcceptanceResult> {
  const { ctx } = input;
  const type: KeyType = "SECURE_ACCEPTANCE";
  const { now, name } = begin(ctx, type, input.name, true);
  if (!(SIGNATURE_VERSIONS as readonly string[]).includes(input.signatureVersion)) {
    const message = "Select signature version 1.";
    throw new AppError("INVALID_INPUT", message, { signatureVersion: message });
  }
  if (!(SIGNATURE_METHODS as readonly string[]).includes(input.signatureMethod)) {
    const message = "Select the signature method HMAC-SHA256.";
    throw new AppError("INVALID_INPUT", message, { signatureMethod: message });
  }
  const profileMissing = () => {
    const message = `Select one of the security profiles of ${ctx.org.id}.`;
    return new AppError("INVALID_INPUT", message, { securityProfileId: message });
  };
  if (!input.securityProfileId?.trim()) throw profileMissing();

  const accessKey = accessKeyId();
  const secretKey = randomBytes(128).toString("hex");
  let profileName = "";
  const key = await insertKey(
    ctx,
    {
      id: accessKey,
      type,
      name,
      createdAt: now,
      expiresAt: expiryFor(type, now),
      securityProfileId: input.securityProfileId,
      details: { signatureVersion: input.signatureVersion, signatureMethod: input.signatureMethod },
      ...sealed(secretKey, accessKey),
    },
    { securityProfileId: input.securityProfileId },
    async (tx) => {
      const profile = await tx.securityProfile.findFirst({
        where: { id: input.securityProfileId, orgId: ctx.org.id },
        select: { name: true },
      });
      if (!profile) throw profileMissing();
      profileName = profile.name;
    },
  );
  return {
    key,
    accessKey,
    secretKey,
    download: {
      filename: `secure_acceptance_${accessKey}.txt`,
      contentType: "text/plain",
      content:
        `Merchant ID: ${ctx.org.id}\n` +
        `Environment: ${ctx.environment.toLowerCase()}\n` +
        `Key Name: ${name}\n` +
        `Security Profile: ${input.securityProfileId} (${profileName})\n` +
        `Signature Version: ${input.signatureVersion}\n` +
        `Signature Method: ${input.signatureMethod}\n` +
        `Access Key: ${accessKey}\n` +
        `Secret Key: ${secretKey}\n`,
    },
  };
}

// ---- PGP (K5, guide {#keys-pgp-add}) ----

/** Adds a pasted ASCII-armored PGP public key (RSA ≥ 2048) for the environment of `ctx`. */
export async function createPgpKey(input: {
  ctx: ServiceContext;
  armoredKey: string;
  name?: string;
}): Promise<{ key: CreatedKey }> {
  const { ctx } = input;
  const type: KeyType = "PGP";
  const { now, name } = begin(ctx, type, input.name);
  const pgp = await parsePgpPublicKey(input.armoredKey, { now });
  const lifetimeEnd = expiryFor(type, now);
  const ownEnd = [pgp.expiresAt, pgp.encryptionKey.expiresAt]
    .filter((d): d is Date => d !== null)
    .reduce<Date | null>((a, b) => (a && a < b ? a : b), null);
  const expiresAt = ownEnd && ownEnd < lifetimeEnd ? ownEnd : lifetimeEnd;
  const key = await insertPublicKey(
    ctx,
    {
      type,
      name,
      now,
      expiresAt,
      publicKey: pgp.armored,
      fingerprint: pgp.fingerprint,
      details: {
        pgpKeyId: pgp.keyId,
        userIds: pgp.userIds,
        algorithm: pgp.algorithm,
        bits: pgp.bits,
        keyCreatedAt: pgp.createdAt.toISOString(),
        keyExpiresAt: pgp.expiresAt?.toISOString() ?? null,
        encryptionKeyId: pgp.encryptionKey.keyId,
        encryptionKeyBits: pgp.encryptionKey.bits,
        encryptionKeyExpiresAt: pgp.encryptionKey.expiresAt?.toISOString() ?? null,
      },
    },
    { userIds: pgp.userIds },
  );
  return { key };
}

// ---- Token Management MLE (K9, guide {#keys-mle-create}) ----

/** Adds a pasted RSA public key (PEM SPKI, PEM PKCS#1, base64 SPKI or JWK) for TMS encryption. */
export async function createTokenManagementMleKey(input: {
  ctx: ServiceContext;
  publicKey: string;
  name?: string;
}): Promise<{ key: CreatedKey }> {
  const { ctx } = input;
  const type: KeyType = "TOKEN_MANAGEMENT_MLE";
  const { now, name } = begin(ctx, type, input.name);
  const parsed = parseRsaPublicKey(input.publicKey);
  const key = await insertPublicKey(ctx, {
    type,
    name,
    now,
    expiresAt: expiryFor(type, now),
    publicKey: parsed.spkiPem,
    fingerprint: parsed.fingerprint,
    details: { algorithm: parsed.algorithm, bits: parsed.bits, format: parsed.format },
  });
  return { key };
}
