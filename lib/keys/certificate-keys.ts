import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
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
import { prisma } from "@/lib/db";
import type { Key, Prisma } from "@/lib/generated/prisma/client";
import type { KeyType } from "@/lib/generated/prisma/enums";
import type { ServiceContext } from "@/lib/context";
import { applyMetaOnCreate } from "@/lib/keys/meta";
import { certificateKeyId } from "@/lib/keys/ids";
import { expiryFor, isRetired, keyType } from "@/lib/keys/types";

/**
 * Certificate keys (SPEC K1, K2, K4, K7): REST – Certificate (.p12, or a certificate for the
 * merchant's CSR), Simple Order API (.p12) and REST – API Response MLE (.p12, or the
 * merchant's own certificate). The certificate subject is `serialNumber=<key id>, CN=<org id>`,
 * signed by the environment's issuing CA. The private key exists only in the returned P12:
 * it is never stored or logged. Each service writes the key and its audit record in one
 * transaction. Field errors use the form fields `password`, `csr`, `certificate`, `name`.
 */

export const P12_KEY_TYPES = ["REST_CERTIFICATE", "SIMPLE_ORDER", "REST_RESPONSE_MLE"] as const;
export type P12KeyType = (typeof P12_KEY_TYPES)[number];

export const KEY_NAME_MAX_LENGTH = 100;

/** Where a certificate key's certificate came from. */
export type CertificateSource = "generated" | "csr" | "uploaded";

function refuseRetiredOrOther(ctx: ServiceContext, type: KeyType, now: Date): void {
  if (!(P12_KEY_TYPES as readonly string[]).includes(type)) {
    throw new AppError("UNSUPPORTED_KEY_TYPE", `${keyType(type).label} keys are not certificate keys.`);
  }
  if (isRetired(type, ctx.environment, now)) {
    const message = `${keyType(type).label} keys can no longer be created in this environment.`;
    throw new AppError("KEY_TYPE_RETIRED", message, { type: message });
  }
}

function keyName(name: string | undefined, type: KeyType, now: Date): string {
  const trimmed = (name ?? "").trim();
  if (trimmed.length > KEY_NAME_MAX_LENGTH) {
    const message = `Key names can be at most ${KEY_NAME_MAX_LENGTH} characters long.`;
    throw new AppError("INVALID_INPUT", message, { name: message });
  }
  return trimmed || `${keyType(type).label} ${now.toISOString().slice(0, 10)}`;
}

/** Writes the Key row and its "key.create" audit record in one transaction. */
async function storeCertificateKey(input: {
  ctx: ServiceContext;
  id: string;
  type: KeyType;
  name: string;
  now: Date;
  expiresAt: Date;
  cert: CertificateDescription;
  source: CertificateSource;
}): Promise<Key> {
  const { ctx, cert } = input;
  const details = { ...certificateDetails(cert), source: input.source } satisfies Prisma.InputJsonObject;
  try {
    return await prisma.$transaction(async (tx) => {
      const key = await tx.key.create({
        data: {
          id: input.id,
          type: input.type,
          environment: ctx.environment,
          orgId: ctx.org.id,
          name: input.name,
          createdAt: input.now,
          expiresAt: input.expiresAt,
          certificatePem: cert.pem,
          fingerprint: cert.fingerprintSha256,
          details,
          createdById: ctx.actor.actorId,
          custodianId: ctx.custodianId ?? null,
        },
      });
      Object.assign(key, await applyMetaOnCreate(tx, ctx, key));
      await recordAudit(tx, {
        ...ctx.actor,
        action: "key.create",
        orgId: ctx.org.id,
        targetType: "key",
        targetId: key.id,
        details: {
          type: key.type,
          environment: key.environment,
          name: key.name,
          expiresAt: key.expiresAt.toISOString(),
          source: input.source,
          fingerprint: cert.fingerprintSha256,
          subject: cert.subject,
        },
      });
      return key;
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") {
      const message = `A key with ID ${input.id} already exists. Each certificate can be registered once.`;
      throw new AppError("DUPLICATE_KEY", message, { certificate: message });
    }
    throw e;
  }
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

/**
 * Download key → Set a Password → Generate key: a new RSA-2048 key pair and certificate, as
 * `<org id>.p12` (PBES2 AES-256-CBC, SHA-256 MAC) holding the key, its certificate (friendly
 * name `serialNumber=<key id>,CN=<org id>`), the CA chain and the gateway MLE certificate.
 */
export async function createCertificateKey(input: {
  ctx: ServiceContext;
  type: P12KeyType;
  password: string;
  name?: string;
}): Promise<{ key: Key; filename: string; p12: Buffer }> {
  const { ctx, type } = input;
  const now = wholeSeconds(ctx.now ?? new Date());
  refuseRetiredOrOther(ctx, type, now);
  const problem = p12PasswordProblem(input.password);
  if (problem) throw new AppError("WEAK_PASSWORD", problem, { password: problem });
  const name = keyName(input.name, type, now);

  const pair = await takeKeyPair();
  const { id, expiresAt, certificatePem, credentials } = await issue(ctx, type, pair.publicKeyPem, now);
  const p12 = buildP12({
    privateKeyPem: pair.privateKeyPem,
    certificatePem,
    friendlyName: p12FriendlyName(id, ctx.org.id),
    chainPems: [credentials.issuingCa.certificatePem, credentials.rootCa.certificatePem],
    extraCertificates: [{ pem: credentials.gatewayMle.certificatePem, friendlyName: GATEWAY_MLE_COMMON_NAME }],
    password: input.password,
  });
  const cert = describeCertificate(certificatePem);
  const key = await storeCertificateKey({ ctx, id, type, name, now, expiresAt, cert, source: "generated" });
  return { key, filename: `${ctx.org.id}.p12`, p12 };
}

/**
 * Submit a Certificate Signing Request: checks the CSR (lib/crypto/csr.ts), issues a
 * REST – Certificate for its key, and returns `<org id>_certChain.pem`: the certificate,
 * then the issuing and root CA certificates.
 */
export async function createKeyFromCsr(input: {
  ctx: ServiceContext;
  csrPem: string;
  name?: string;
}): Promise<{ key: Key; filename: string; pem: string }> {
  const { ctx } = input;
  const type = "REST_CERTIFICATE";
  const now = wholeSeconds(ctx.now ?? new Date());
  refuseRetiredOrOther(ctx, type, now);
  const name = keyName(input.name, type, now);
  const csr = checkCsr({ pem: input.csrPem, orgId: ctx.org.id });
  const { id, expiresAt, certificatePem, credentials } = await issue(ctx, type, csr.publicKeyPem, now);
  const cert = describeCertificate(certificatePem);
  const key = await storeCertificateKey({ ctx, id, type, name, now, expiresAt, cert, source: "csr" });
  return { key, filename: `${ctx.org.id}_certChain.pem`, pem: certificatePem.trim() + "\n" + chainPem(credentials) };
}

function refuseCertificate(code: string, message: string): never {
  throw new AppError(code, message, { certificate: message });
}

/**
 * REST – API Response MLE with the merchant's own certificate: the gateway encrypts
 * responses to it. The key ID is the certificate's X.509 serial number in upper-case hex,
 * as `openssl x509 -noout -serial` prints it; the key expires with the certificate, or at
 * the type's lifetime if sooner. Returns the stored certificate as `<org id>_<key id>.pem`.
 */
export async function createResponseMleKeyFromCertificate(input: {
  ctx: ServiceContext;
  certificatePem: string;
  name?: string;
}): Promise<{ key: Key; filename: string; pem: string }> {
  const { ctx } = input;
  const type = "REST_RESPONSE_MLE";
  const now = wholeSeconds(ctx.now ?? new Date());
  refuseRetiredOrOther(ctx, type, now);
  const name = keyName(input.name, type, now);
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
  if (cert.notAfter <= now) {
    refuseCertificate(
      "CERTIFICATE_EXPIRED",
      `The certificate expired on ${cert.notAfter.toISOString().slice(0, 10)}. Paste a current certificate.`,
    );
  }
  const lifetimeEnd = expiryFor(type, now);
  const expiresAt = cert.notAfter < lifetimeEnd ? cert.notAfter : lifetimeEnd;
  const id = cert.serialNumber;
  const key = await storeCertificateKey({ ctx, id, type, name, now, expiresAt, cert, source: "uploaded" });
  return { key, filename: `${ctx.org.id}_${id}.pem`, pem: cert.pem };
}
