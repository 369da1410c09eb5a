import { createPublicKey, verify, type KeyObject } from "node:crypto";
import forge from "node-forge";
import { AppError } from "@/lib/errors";

/**
 * Checks a pasted PEM certificate signing request (guide: Submit a Certificate Signing
 * Request). Refusals are AppErrors with a code and a message for the `csr` field:
 * unreadable or not a CSR, a key that is not RSA or is under 2048 bits, a signature that
 * does not verify, a CN that is not the merchant ID acted for.
 */
export const MIN_RSA_BITS = 2048;

export interface CheckedCsr {
  /** SubjectPublicKeyInfo PEM of the key the certificate will certify. */
  publicKeyPem: string;
  keyBits: number;
  commonName: string;
  /** e.g. "CN=merchant12378". */
  subject: string;
}

function refuse(code: string, message: string): never {
  throw new AppError(code, message, { csr: message });
}

const NOT_A_CSR =
  "This is not a certificate signing request. Paste the whole PEM text, from -----BEGIN CERTIFICATE REQUEST----- to -----END CERTIFICATE REQUEST-----.";

/** Signature algorithms a CSR may be signed with (PKCS#1 v1.5 RSA), by OID. */
const RSA_SIGNATURE_HASH: Record<string, string> = {
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.14": "sha224",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
};

interface CsrParts {
  infoDer: Buffer;
  spkiDer: Buffer;
  subject: forge.asn1.Asn1;
  signatureOid: string;
  signature: Buffer;
}

const bin = (s: string) => Buffer.from(s, "binary");

/** Splits a DER CertificationRequest into its parts without interpreting the key. */
function csrParts(der: string): CsrParts {
  const root = forge.asn1.fromDer(der);
  const [info, sigAlg, sig] = root.value as forge.asn1.Asn1[];
  if (!info || !sigAlg || !sig || !Array.isArray(info.value) || !Array.isArray(sigAlg.value)) {
    throw new Error("not a CertificationRequest");
  }
  const [version, subject, spki] = info.value;
  if (!version || !subject || !spki || sig.type !== forge.asn1.Type.BITSTRING) {
    throw new Error("not a CertificationRequest");
  }
  const sigBits = sig.value as string;
  return {
    infoDer: bin(forge.asn1.toDer(info).getBytes()),
    spkiDer: bin(forge.asn1.toDer(spki).getBytes()),
    subject,
    signatureOid: forge.asn1.derToOid((sigAlg.value as forge.asn1.Asn1[])[0]!.value as string),
    // BIT STRING: first octet is the count of unused bits (0 for signatures).
    signature: bin(sigBits.slice(1)),
  };
}

const SHORT_NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "1.2.840.113549.1.9.1": "emailAddress",
};

/** The subject's attributes in order, as [OID, text]. */
function subjectAttributes(subject: forge.asn1.Asn1): [string, string][] {
  const out: [string, string][] = [];
  for (const rdn of subject.value as forge.asn1.Asn1[]) {
    for (const atv of rdn.value as forge.asn1.Asn1[]) {
      const [oid, value] = atv.value as forge.asn1.Asn1[];
      const raw = value!.value as string;
      // node-forge decodes BMPSTRING itself; other strings are raw bytes.
      const text =
        value!.type === forge.asn1.Type.BMPSTRING
          ? raw
          : bin(raw).toString(value!.type === forge.asn1.Type.UTF8 ? "utf8" : "latin1");
      out.push([forge.asn1.derToOid(oid!.value as string), text]);
    }
  }
  return out;
}

function keyDescription(key: KeyObject): string {
  const type = key.asymmetricKeyType;
  if (type === "ec") return `an EC (${key.asymmetricKeyDetails?.namedCurve ?? "elliptic curve"}) key`;
  if (type === "rsa-pss") return "an RSA-PSS key";
  return `an ${String(type ?? "unknown").toUpperCase()} key`;
}

/** Parses and checks `pem`; `orgId` is the merchant ID acted for, which the CN must equal. */
export function checkCsr(input: { pem: string; orgId: string }): CheckedCsr {
  const text = input.pem.trim();
  let msg: forge.pem.ObjectPEM | undefined;
  try {
    msg = forge.pem.decode(text)[0];
  } catch {
    refuse("CSR_UNREADABLE", NOT_A_CSR);
  }
  if (!msg) refuse("CSR_UNREADABLE", NOT_A_CSR);
  if (msg.type === "CERTIFICATE" || msg.type === "X509 CERTIFICATE") {
    refuse(
      "CSR_IS_CERTIFICATE",
      "This is a certificate, not a certificate signing request. Paste the CSR (-----BEGIN CERTIFICATE REQUEST-----) you generated with your private key.",
    );
  }
  if (msg.type !== "CERTIFICATE REQUEST" && msg.type !== "NEW CERTIFICATE REQUEST") refuse("CSR_UNREADABLE", NOT_A_CSR);

  let parts: CsrParts;
  let key: KeyObject;
  try {
    parts = csrParts(msg.body);
    key = createPublicKey({ key: parts.spkiDer, format: "der", type: "spki" });
  } catch {
    refuse("CSR_UNREADABLE", "This certificate signing request cannot be read: the PEM text is damaged or incomplete.");
  }

  if (key.asymmetricKeyType !== "rsa") {
    refuse(
      "CSR_KEY_TYPE",
      `The CSR contains ${keyDescription(key)}. Only RSA keys of at least ${MIN_RSA_BITS} bits are accepted.`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    refuse(
      "CSR_KEY_SIZE",
      `The CSR's RSA key is ${bits} bits. It must be at least ${MIN_RSA_BITS} bits (for example, openssl req -newkey rsa:2048).`,
    );
  }

  const hash = RSA_SIGNATURE_HASH[parts.signatureOid];
  if (!hash) {
    refuse(
      "CSR_SIGNATURE_ALGORITHM",
      "The CSR is signed with an unsupported algorithm. Sign it with SHA-256 and RSA (openssl req -sha256).",
    );
  }
  let valid = false;
  try {
    valid = verify(hash, parts.infoDer, key, parts.signature);
  } catch {
    valid = false;
  }
  if (!valid) {
    refuse(
      "CSR_SIGNATURE",
      "The CSR's signature does not match its contents: it was changed after it was signed, or is damaged. Generate a new CSR.",
    );
  }

  let attributes: [string, string][];
  try {
    attributes = subjectAttributes(parts.subject);
  } catch {
    refuse("CSR_UNREADABLE", "This certificate signing request cannot be read: its subject is damaged.");
  }
  const names = attributes.filter(([oid]) => oid === "2.5.4.3").map(([, v]) => v);
  if (names.length !== 1 || names[0] !== input.orgId) {
    const found = names.length === 0 ? "no common name (CN)" : `CN=${names.join(", CN=")}`;
    refuse(
      "CSR_COMMON_NAME",
      `The CSR's subject has ${found}. The CN must be your merchant ID, ${input.orgId} (for example -subj "/CN=${input.orgId}").`,
    );
  }

  return {
    publicKeyPem: key.export({ type: "spki", format: "pem" }).toString(),
    keyBits: bits,
    commonName: names[0]!,
    subject: attributes.map(([oid, v]) => `${SHORT_NAMES[oid] ?? oid}=${v}`).join(", "),
  };
}
