import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { GATEWAY_MLE_COMMON_NAME, chainPem } from "@/lib/crypto/ca";
import {
  certificateDetails,
  describeCertificate,
  issueKeyCertificate,
  wholeSeconds,
  type CertificateDescription,
} from "@/lib/crypto/certificates";
import { checkCsr } from "@/lib/crypto/csr";
import { environmentCredentials } from "@/lib/crypto/environment";
import { takeKeyPair } from "@/lib/crypto/keypair";
import { buildP12, p12FriendlyName, p12PasswordProblem } from "@/lib/crypto/p12";
import { parsePgpPublicKey } from "@/lib/crypto/pgp";
import { parseRsaPublicKey } from "@/lib/crypto/public-key";
import { sealedVersion, sealSecret } from "@/lib/crypto/secrets";
import type { Tx } from "@/lib/db";
import type { Key, Prisma } from "@/lib/generated/prisma/client";
import type { KeyType } from "@/lib/generated/prisma/enums";
import type { ServiceContext } from "@/lib/context";
import { accessKeyId, certificateKeyId, uuidKeyId } from "./ids";
import { csrP12Files } from "./csr-commands";
import { downloadName, expiryFor } from "./types";

/**
 * The creator of each key type (SPEC K1–K9), the server half of the key-type registry: types.ts
 * holds what the browser may read too (labels, forms, rules), KEY_CREATORS below what makes a
 * key. A creator checks its own input and builds the row; the one pipeline (create.ts
 * `createKey`) has checked permission, retirement, custodian and name before, and inserts the
 * row with its audit record after, in one transaction. Secrets are returned once and stored
 * only sealed (AES-256-GCM); private keys of issued certificates exist only in the returned
 * P12. Field errors name the form's fields (`password`, `csr`, `certificate`, `publicKey`, ...).
 */

/** A key row as services hand it out: everything but the sealed secret. */
export type CreatedKey = Omit<Key, "secretCiphertext">;

export interface KeyDownload {
  filename: string;
  contentType: string;
  content: string;
}

/** What a creator is given: the context, the pipeline's clock, the checked name, the caller's input. */
export interface CreatorArgs<I> {
  ctx: ServiceContext;
  type: KeyType;
  now: Date;
  name: string;
  input: I;
}

/** The key's row, less what the pipeline fills in (type, name, org, environment, creator, custodian). */
export type NewKeyRow = Omit<
  Prisma.KeyUncheckedCreateInput,
  "type" | "name" | "orgId" | "environment" | "createdById" | "custodianId"
> & { id: string; expiresAt: Date };

/** What a creator hands the pipeline. */
export interface Creation<R> {
  row: NewKeyRow;
  /** What the "key.create" audit record says besides type, environment, name and expiry. */
  audit?: Prisma.InputJsonObject;
  /** Runs first inside the insert's transaction (a duplicate check); throws to roll it all back. */
  check?: (tx: Tx) => Promise<void>;
  /** The refusal when the key ID is already taken (a certificate registered twice). */
  duplicate?: () => AppError;
  /** What the caller gets once the key is in. */
  result: (key: CreatedKey) => R;
}

export type Creator<I, R> = (args: CreatorArgs<I>) => Promise<Creation<R>>;

function sealed(
  secret: string,
  keyId: string,
): { secretCiphertext: Uint8Array<ArrayBuffer>; secretKeyVersion: number } {
  const blob = sealSecret(secret, keyId);
  return { secretCiphertext: new Uint8Array(blob), secretKeyVersion: sealedVersion(blob) };
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
const sharedSecret: Creator<object, SharedSecretResult> = async ({ ctx, type, now }) => {
  const asMeta = ctx.meta !== undefined || ctx.regenerateFrom !== undefined;
  if (ctx.org.type !== "MERCHANT" && !asMeta) throw new AppError("MERCHANT_ONLY", SHARED_SECRET_MERCHANT_ONLY);
  const id = uuidKeyId();
  const secret = randomBytes(32).toString("base64");
  return {
    row: { id, expiresAt: expiryFor(type, now), ...sealed(secret, id) },
    result: (key) => ({
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
    }),
  };
};

// ---- Secure Acceptance (K6, guide {#keys-secure-acceptance-create}) ----

export const SIGNATURE_VERSIONS = ["1"] as const;
export const SIGNATURE_METHODS = ["HMAC-SHA256"] as const;

export interface SecureAcceptanceInput {
  signatureVersion: string;
  signatureMethod: string;
  securityProfileId: string;
}

export interface SecureAcceptanceResult {
  key: CreatedKey;
  /** The access key: also the key ID (32 hex characters). */
  accessKey: string;
  /** 256 hex characters, as Secure Acceptance secret keys are; shown once. */
  secretKey: string;
  download: KeyDownload;
}

const secureAcceptance: Creator<SecureAcceptanceInput, SecureAcceptanceResult> = async ({
  ctx,
  type,
  now,
  name,
  input,
}) => {
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
  return {
    row: {
      id: accessKey,
      expiresAt: expiryFor(type, now),
      securityProfileId: input.securityProfileId,
      details: { signatureVersion: input.signatureVersion, signatureMethod: input.signatureMethod },
      ...sealed(secretKey, accessKey),
    },
    audit: { securityProfileId: input.securityProfileId },
    check: async (tx) => {
      const profile = await tx.securityProfile.findFirst({
        where: { id: input.securityProfileId, orgId: ctx.org.id },
        select: { name: true },
      });
      if (!profile) throw profileMissing();
      profileName = profile.name;
    },
    result: (key) => ({
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
    }),
  };
};

// ---- pasted public keys: PGP (K5, guide {#keys-pgp-add}), Token Management MLE (K9, {#keys-mle-create}) ----

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

/** A pasted public key's row, checked against an active duplicate in the insert's transaction. */
function publicKeyCreation(
  { ctx, type, now }: CreatorArgs<unknown>,
  key: { expiresAt: Date; publicKey: string; fingerprint: string; details: Prisma.InputJsonObject },
  audit: Prisma.InputJsonObject = {},
): Creation<{ key: CreatedKey }> {
  return {
    row: { id: uuidKeyId(), ...key },
    audit: { fingerprint: key.fingerprint, ...audit },
    check: noActiveDuplicate(ctx, type, key.fingerprint, now),
    result: (created) => ({ key: created }),
  };
}

/** A pasted ASCII-armored PGP public key (RSA ≥ 2048); it expires with its own expiry if sooner. */
const pgp: Creator<{ armoredKey: string }, { key: CreatedKey }> = async (args) => {
  const { type, now, input } = args;
  const parsed = await parsePgpPublicKey(input.armoredKey, { now });
  const lifetimeEnd = expiryFor(type, now);
  const ownEnd = [parsed.expiresAt, parsed.encryptionKey.expiresAt]
    .filter((d): d is Date => d !== null)
    .reduce<Date | null>((a, b) => (a && a < b ? a : b), null);
  const expiresAt = ownEnd && ownEnd < lifetimeEnd ? ownEnd : lifetimeEnd;
  return publicKeyCreation(
    args,
    {
      expiresAt,
      publicKey: parsed.armored,
      fingerprint: parsed.fingerprint,
      details: {
        pgpKeyId: parsed.keyId,
        userIds: parsed.userIds,
        algorithm: parsed.algorithm,
        bits: parsed.bits,
        keyCreatedAt: parsed.createdAt.toISOString(),
        keyExpiresAt: parsed.expiresAt?.toISOString() ?? null,
        encryptionKeyId: parsed.encryptionKey.keyId,
        encryptionKeyBits: parsed.encryptionKey.bits,
        encryptionKeyExpiresAt: parsed.encryptionKey.expiresAt?.toISOString() ?? null,
      },
    },
    { userIds: parsed.userIds },
  );
};

/** A pasted RSA public key (PEM SPKI, PEM PKCS#1, base64 SPKI or JWK) for TMS encryption. */
const tokenManagementMle: Creator<{ publicKey: string }, { key: CreatedKey }> = async (args) => {
  const parsed = parseRsaPublicKey(args.input.publicKey);
  return publicKeyCreation(args, {
    expiresAt: expiryFor(args.type, args.now),
    publicKey: parsed.spkiPem,
    fingerprint: parsed.fingerprint,
    details: { algorithm: parsed.algorithm, bits: parsed.bits, format: parsed.format },
  });
};

// ---- certificate keys: REST – Certificate, Simple Order API, REST – API Response MLE (K1, K2, K4, K7) ----
// The subject is `serialNumber=<key id>, CN=<org id>`, signed by the environment's issuing CA.

/** Where a certificate key's certificate came from. */
export type CertificateSource = "generated" | "csr" | "uploaded";

export interface P12Input {
  password: string;
}
export interface CsrInput {
  csrPem: string;
}
export interface CertificateInput {
  certificatePem: string;
}
export interface P12Result {
  key: CreatedKey;
  filename: string;
  p12: Buffer;
}
export interface PemResult {
  key: CreatedKey;
  filename: string;
  pem: string;
}

/** Issues a certificate for `publicKeyPem` under the environment's issuing CA, valid for the type's lifetime. */
async function issue(ctx: ServiceContext, type: KeyType, publicKeyPem: string, now: Date) {
  const credentials = await environmentCredentials(ctx.environment);
  const id = certificateKeyId();
  const expiresAt = expiryFor(type, now);
  const certificatePem = issueKeyCertificate({
    keyId: id,
    orgId: ctx.org.id,
    publicKeyPem,
    notBefore: now,
    notAfter: expiresAt,
    issuer: credentials.issuingCa,
  });
  return { id, expiresAt, certificatePem, credentials };
}

/** A certificate key's row (created at whole seconds, as its certificate's notBefore). */
function certificateCreation<R>(
  key: { id: string; at: Date; expiresAt: Date; cert: CertificateDescription; source: CertificateSource },
  result: (key: CreatedKey) => R,
): Creation<R> {
  const { id, cert, source } = key;
  return {
    row: {
      id,
      createdAt: key.at,
      expiresAt: key.expiresAt,
      certificatePem: cert.pem,
      fingerprint: cert.fingerprintSha256,
      details: { ...certificateDetails(cert), source } satisfies Prisma.InputJsonObject,
    },
    audit: { source, fingerprint: cert.fingerprintSha256, subject: cert.subject },
    duplicate: () => {
      const message = `A key with ID ${id} already exists. Each certificate can be registered once.`;
      return new AppError("DUPLICATE_KEY", message, { certificate: message });
    },
    result,
  };
}

/**
 * Download key → Set a Password → Generate key: a new RSA-2048 key pair and certificate, as
 * `<org id>_<fileTag>.p12` (`merchant12378_rest.p12`; PBES2 AES-256-CBC, SHA-256 MAC) holding the key, its certificate (friendly
 * name `serialNumber=<key id>,CN=<org id>`), the CA chain and the gateway MLE certificate.
 */
const p12: Creator<P12Input, P12Result> = async ({ ctx, type, now, input }) => {
  const at = wholeSeconds(now);
  const problem = p12PasswordProblem(input.password);
  if (problem) throw new AppError("WEAK_PASSWORD", problem, { password: problem });
  const pair = await takeKeyPair();
  const { id, expiresAt, certificatePem, credentials } = await issue(ctx, type, pair.publicKeyPem, at);
  const p12 = buildP12({
    privateKeyPem: pair.privateKeyPem,
    certificatePem,
    friendlyName: p12FriendlyName(id, ctx.org.id),
    chainPems: [credentials.issuingCa.certificatePem, credentials.rootCa.certificatePem],
    extraCertificates: [{ pem: credentials.gatewayMle.certificatePem, friendlyName: GATEWAY_MLE_COMMON_NAME }],
    password: input.password,
  });
  const cert = describeCertificate(certificatePem);
  return certificateCreation({ id, at, expiresAt, cert, source: "generated" }, (key) => ({
    key,
    filename: downloadName(type, ctx.org.id, ".p12"),
    p12,
  }));
};

/**
 * Submit a Certificate Signing Request: checks the CSR (lib/crypto/csr.ts), issues a
 * REST – Certificate for its key, and returns `<org id>_certChain.pem`: the certificate,
 * then the issuing and root CA certificates.
 */
const fromCsr: Creator<CsrInput, PemResult> = async ({ ctx, type, now, input }) => {
  const at = wholeSeconds(now);
  const csr = checkCsr({ pem: input.csrPem, orgId: ctx.org.id });
  const { id, expiresAt, certificatePem, credentials } = await issue(ctx, type, csr.publicKeyPem, at);
  const cert = describeCertificate(certificatePem);
  return certificateCreation({ id, at, expiresAt, cert, source: "csr" }, (key) => ({
    key,
    filename: csrP12Files(ctx.org.id).certChain,
    pem: certificatePem.trim() + "\n" + chainPem(credentials),
  }));
};

function refuseCertificate(code: string, message: string): never {
  throw new AppError(code, message, { certificate: message });
}

/**
 * REST – API Response MLE with the merchant's own certificate: the gateway encrypts
 * responses to it. The key ID is the certificate's X.509 serial number in upper-case hex,
 * as `openssl x509 -noout -serial` prints it; the key expires with the certificate, or at
 * the type's lifetime if sooner. Returns the stored certificate as `<org id>_response_mle_<key id>.pem`.
 */
const fromCertificate: Creator<CertificateInput, PemResult> = async ({ ctx, type, now, input }) => {
  const at = wholeSeconds(now);
  const text = input.certificatePem.trim();
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    refuseCertificate(
      "PRIVATE_KEY_PASTED",
      "This text contains a private key. Paste only your public certificate (-----BEGIN CERTIFICATE-----), and keep the private key to yourself.",
    );
  }
  if (/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(text)) {
    refuseCertificate(
      "CERTIFICATE_IS_CSR",
      "This is a certificate signing request. Paste a PEM certificate (-----BEGIN CERTIFICATE-----).",
    );
  }
  let cert: CertificateDescription;
  try {
    if (!text.startsWith("-----BEGIN CERTIFICATE-----")) throw new Error("not PEM");
    cert = describeCertificate(text);
  } catch {
    refuseCertificate(
      "CERTIFICATE_UNREADABLE",
      "This is not a PEM certificate. Paste the whole text, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.",
    );
  }
  if (cert.keyType !== "rsa") {
    refuseCertificate("CERTIFICATE_KEY_TYPE", "The certificate's key must be an RSA key of at least 2048 bits.");
  }
  if ((cert.keyBits ?? 0) < 2048) {
    refuseCertificate(
      "CERTIFICATE_KEY_SIZE",
      `The certificate's RSA key is ${cert.keyBits} bits. It must be at least 2048 bits.`,
    );
  }
  if (cert.notAfter <= at) {
    refuseCertificate(
      "CERTIFICATE_EXPIRED",
      `The certificate expired on ${cert.notAfter.toISOString().slice(0, 10)}. Paste a current certificate.`,
    );
  }
  const lifetimeEnd = expiryFor(type, at);
  const expiresAt = cert.notAfter < lifetimeEnd ? cert.notAfter : lifetimeEnd;
  const id = cert.serialNumber;
  return certificateCreation({ id, at, expiresAt, cert, source: "uploaded" }, (key) => ({
    key,
    filename: downloadName(type, ctx.org.id, `_${id}.pem`),
    pem: cert.pem,
  }));
};

/**
 * The creator of every type that can be created (registry: a create form other than "none").
 * Certificate types take a password (.p12) or, where the guide offers it, pasted PEM.
 */
export const KEY_CREATORS = {
  REST_SHARED_SECRET: sharedSecret,
  SECURE_ACCEPTANCE: secureAcceptance,
  PGP: pgp,
  TOKEN_MANAGEMENT_MLE: tokenManagementMle,
  REST_CERTIFICATE: (args: CreatorArgs<P12Input | CsrInput>): Promise<Creation<P12Result | PemResult>> =>
    "csrPem" in args.input ? fromCsr({ ...args, input: args.input }) : p12({ ...args, input: args.input }),
  SIMPLE_ORDER: p12,
  REST_RESPONSE_MLE: (args: CreatorArgs<P12Input | CertificateInput>): Promise<Creation<P12Result | PemResult>> =>
    "certificatePem" in args.input ? fromCertificate({ ...args, input: args.input }) : p12({ ...args, input: args.input }),
} satisfies Partial<Record<KeyType, Creator<never, unknown>>>;

export type CreatableKeyType = keyof typeof KEY_CREATORS;
