import { ENVIRONMENT_LABEL } from "@/lib/format";
import type { Environment } from "@/lib/generated/prisma/enums";
import { certificateKeyId } from "@/lib/keys/ids";
import { generateRsaKeyPair } from "@/lib/crypto/keypair";
import {
  randomSerialHex,
  signCertificate,
  wholeSeconds,
  x509SerialForKeyId,
  type CertifiedKey,
} from "@/lib/crypto/certificates";

/**
 * Builders for an environment's identity: a root CA, an issuing CA under it, and the test
 * gateway's request-MLE certificate (CN=CyberSource_SJC_US, with its own subject
 * serialNumber: the SDK puts that serialNumber in the JWE `kid`). Pure: no database;
 * lib/crypto/environment.ts stores them.
 */
export const GATEWAY_MLE_COMMON_NAME = "CyberSource_SJC_US";

export const ROOT_CA_YEARS = 20;
export const ISSUING_CA_YEARS = 10;
export const GATEWAY_MLE_YEARS = 10;

function yearsAfter(from: Date, years: number): Date {
  const d = new Date(from);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

/** A CA: the root (self-signed) when `parent` is absent, else an issuing CA under `parent`. */
async function createCa(input: { environment: Environment; parent?: CertifiedKey; now?: Date }): Promise<CertifiedKey> {
  const now = wholeSeconds(input.now ?? new Date());
  const pair = await generateRsaKeyPair();
  const env = ENVIRONMENT_LABEL[input.environment];
  const certificatePem = signCertificate({
    subject: [
      { name: "organizationName", value: "KeyCenter" },
      { name: "organizationalUnitName", value: env },
      { name: "commonName", value: `KeyCenter ${env} ${input.parent ? "Issuing" : "Root"} CA` },
    ],
    publicKeyPem: pair.publicKeyPem,
    serialHex: randomSerialHex(),
    notBefore: now,
    notAfter: yearsAfter(now, input.parent ? ISSUING_CA_YEARS : ROOT_CA_YEARS),
    issuer: input.parent ?? { self: pair.privateKeyPem },
    profile: input.parent ? "intermediate-ca" : "root-ca",
  });
  return { certificatePem, privateKeyPem: pair.privateKeyPem };
}

export function createRootCa(input: { environment: Environment; now?: Date }): Promise<CertifiedKey> {
  return createCa(input);
}

export function createIssuingCa(input: {
  environment: Environment;
  root: CertifiedKey;
  now?: Date;
}): Promise<CertifiedKey> {
  return createCa({ environment: input.environment, parent: input.root, now: input.now });
}

export async function createGatewayMleIdentity(input: {
  environment: Environment;
  issuer: CertifiedKey;
  now?: Date;
}): Promise<CertifiedKey> {
  const now = wholeSeconds(input.now ?? new Date());
  const pair = await generateRsaKeyPair();
  const serial = certificateKeyId();
  const certificatePem = signCertificate({
    subject: [
      { name: "serialNumber", value: serial },
      { name: "commonName", value: GATEWAY_MLE_COMMON_NAME },
    ],
    publicKeyPem: pair.publicKeyPem,
    serialHex: x509SerialForKeyId(serial),
    notBefore: now,
    notAfter: yearsAfter(now, GATEWAY_MLE_YEARS),
    issuer: input.issuer,
    profile: "end-entity",
  });
  return { certificatePem, privateKeyPem: pair.privateKeyPem };
}

/** The whole identity of a new environment, for tests and tools that need no database. */
export async function createEnvironmentIdentity(input: { environment: Environment; now?: Date }): Promise<{
  rootCa: CertifiedKey;
  issuingCa: CertifiedKey;
  gatewayMle: CertifiedKey;
}> {
  const rootCa = await createRootCa(input);
  const issuingCa = await createIssuingCa({ ...input, root: rootCa });
  const gatewayMle = await createGatewayMleIdentity({ ...input, issuer: issuingCa });
  return { rootCa, issuingCa, gatewayMle };
}

/** The CA chain as one PEM text: issuing CA, then root CA. */
export function chainPem(identity: { rootCa: CertifiedKey; issuingCa: CertifiedKey }): string {
  return identity.issuingCa.certificatePem.trim() + "\n" + identity.rootCa.certificatePem.trim() + "\n";
}
