import { createHash, randomBytes, sign, X509Certificate } from "node:crypto";
import forge from "node-forge";

/**
 * X.509 certificates: node-forge builds the TBSCertificate, Node's native crypto signs it
 * (fast, off forge's pure-JS RSA). Pure functions: the caller passes the issuer.
 */

/** A certificate and its private key (PEM): an environment CA or the gateway's MLE identity. */
export interface CertifiedKey {
  certificatePem: string;
  privateKeyPem: string;
}

/** Subject attributes KeyCenter writes, in order. serialNumber is OID 2.5.4.5. */
export type SubjectAttribute =
  | { name: "serialNumber"; value: string }
  | { name: "commonName"; value: string }
  | { name: "organizationName"; value: string }
  | { name: "organizationalUnitName"; value: string };

export type CertificateProfile = "root-ca" | "intermediate-ca" | "end-entity";

export interface SignCertificateInput {
  subject: SubjectAttribute[];
  publicKeyPem: string;
  /** Positive X.509 serial, hex. */
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  /** The signing CA, or "self" with the subject's own private key (root CAs). */
  issuer: CertifiedKey | { self: string };
  profile: CertificateProfile;
}

/** X.509 serial of a certificate key: the hex of the key ID's ASCII text (see lib/keys/ids.ts). */
export function x509SerialForKeyId(keyId: string): string {
  if (!/^[1-9][0-9]{0,19}$/.test(keyId)) throw new Error(`Not a certificate key ID: ${keyId}`);
  return Buffer.from(keyId, "ascii").toString("hex");
}

/** The inverse of x509SerialForKeyId: what the guide's `xxd -r -p` does. */
export function keyIdFromX509Serial(serialHex: string): string {
  return Buffer.from(serialHex.replace(/:/g, ""), "hex").toString("ascii");
}

/** A random positive 16-byte serial (CA certificates). */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes.toString("hex");
}

/** Second precision: X.509 times carry no milliseconds, and the Key row must match. */
export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

const SUBJECT_TAG: Record<SubjectAttribute["name"], number> = {
  // X.520 requires PrintableString for serialNumber; IDs like acme_acct need UTF8String.
  serialNumber: forge.asn1.Type.PRINTABLESTRING,
  commonName: forge.asn1.Type.UTF8,
  organizationName: forge.asn1.Type.UTF8,
  organizationalUnitName: forge.asn1.Type.UTF8,
};

function extensionsFor(profile: CertificateProfile, issuerCert: forge.pki.Certificate | null): object[] {
  const ski = { name: "subjectKeyIdentifier" };
  const aki = issuerCert
    ? [{ name: "authorityKeyIdentifier", keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() }]
    : [];
  if (profile === "end-entity") {
    return [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, dataEncipherment: true, critical: true },
      ski,
      ...aki,
    ];
  }
  return [
    {
      name: "basicConstraints",
      cA: true,
      critical: true,
      ...(profile === "intermediate-ca" ? { pathLenConstraint: 0 } : {}),
    },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ski,
    ...aki,
  ];
}

/** node-forge has this function; its type definitions do not. */
interface ForgeTbs {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
}

/** Builds and signs a certificate (SHA-256 with RSA); returns PEM. */
export function signCertificate(input: SignCertificateInput): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(input.publicKeyPem);
  cert.serialNumber = input.serialHex;
  cert.validity.notBefore = input.notBefore;
  cert.validity.notAfter = input.notAfter;
  const subject = input.subject.map((a) => ({ name: a.name, value: a.value, valueTagClass: SUBJECT_TAG[a.name] }));
  cert.setSubject(subject as forge.pki.CertificateField[]);
  let issuerCert: forge.pki.Certificate | null = null;
  let signingKeyPem: string;
  if ("self" in input.issuer) {
    cert.setIssuer(subject as forge.pki.CertificateField[]);
    signingKeyPem = input.issuer.self;
  } else {
    issuerCert = forge.pki.certificateFromPem(input.issuer.certificatePem);
    cert.setIssuer(issuerCert.subject.attributes);
    signingKeyPem = input.issuer.privateKeyPem;
  }
  cert.setExtensions(extensionsFor(input.profile, issuerCert));
  cert.signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.siginfo.algorithmOid = cert.signatureOid;
  cert.tbsCertificate = (forge.pki as unknown as ForgeTbs).getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), "binary");
  cert.signature = sign("sha256", tbs, signingKeyPem).toString("binary");
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, "\n");
}

/**
 * A certificate key's certificate: subject `serialNumber=<key id>, CN=<owner org id>`,
 * X.509 serial = hex of the key ID, signed by `issuer` (the environment's issuing CA).
 * CN comes last, so the guide's sed expression (CN= up to the next slash) reads it from the
 * slash form of the subject (openssl x509 -subject -nameopt compat).
 */
export function issueKeyCertificate(input: {
  keyId: string;
  orgId: string;
  publicKeyPem: string;
  notBefore: Date;
  notAfter: Date;
  issuer: CertifiedKey;
}): string {
  return signCertificate({
    subject: [
      { name: "serialNumber", value: input.keyId },
      { name: "commonName", value: input.orgId },
    ],
    publicKeyPem: input.publicKeyPem,
    serialHex: x509SerialForKeyId(input.keyId),
    notBefore: input.notBefore,
    notAfter: input.notAfter,
    issuer: input.issuer,
    profile: "end-entity",
  });
}

export interface CertificateDescription {
  /** X.509 serial number, upper-case hex as openssl prints it. */
  serialNumber: string;
  /** e.g. "serialNumber=1234567890123456789, CN=merchant12378". */
  subject: string;
  issuer: string;
  /** Subject attribute serialNumber (OID 2.5.4.5): a certificate key's key ID. */
  subjectSerialNumber: string | null;
  commonName: string | null;
  /** SHA-256 of the DER certificate, upper-case hex without separators (as Key.fingerprint). */
  fingerprintSha256: string;
  notBefore: Date;
  notAfter: Date;
  /** "rsa", "ec", "ed25519"... */
  keyType: string;
  /** RSA modulus length, when RSA. */
  keyBits: number | null;
  pem: string;
}

function nameAttributes(name: string): [string, string][] {
  return name
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const i = line.indexOf("=");
      return [line.slice(0, i), line.slice(i + 1)];
    });
}

const joinName = (name: string) =>
  nameAttributes(name)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");

/** Reads the first certificate of a PEM text. Throws on anything that is not one. */
export function describeCertificate(pem: string): CertificateDescription {
  const x = new X509Certificate(pem);
  const attrs = nameAttributes(x.subject);
  const details = x.publicKey.asymmetricKeyDetails;
  return {
    serialNumber: x.serialNumber.toUpperCase(),
    subject: joinName(x.subject),
    issuer: joinName(x.issuer),
    subjectSerialNumber: attrs.find(([k]) => k === "serialNumber")?.[1] ?? null,
    commonName: attrs.find(([k]) => k === "CN")?.[1] ?? null,
    fingerprintSha256: createHash("sha256").update(x.raw).digest("hex").toUpperCase(),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    keyType: x.publicKey.asymmetricKeyType ?? "unknown",
    keyBits: x.publicKey.asymmetricKeyType === "rsa" ? (details?.modulusLength ?? null) : null,
    pem: x.toString(),
  };
}

/** What a Key row's `details` holds for a certificate: public facts only. */
export function certificateDetails(d: CertificateDescription): {
  subject: string;
  issuer: string;
  serialNumber: string;
  subjectSerialNumber: string | null;
  notBefore: string;
  notAfter: string;
  fingerprintSha256: string;
  keyAlgorithm: string;
  keyBits: number | null;
} {
  return {
    subject: d.subject,
    issuer: d.issuer,
    serialNumber: d.serialNumber,
    subjectSerialNumber: d.subjectSerialNumber,
    notBefore: d.notBefore.toISOString(),
    notAfter: d.notAfter.toISOString(),
    fingerprintSha256: d.fingerprintSha256,
    keyAlgorithm: d.keyType.toUpperCase(),
    keyBits: d.keyBits,
  };
}
