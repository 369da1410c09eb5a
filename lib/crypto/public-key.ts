import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { AppError } from "@/lib/errors";

/**
 * Pasted public keys for Token Management message-level encryption (guide `{#keys-mle-create}`):
 * "Enter the public key value into the text field". Accepted forms: PEM SubjectPublicKeyInfo
 * (-----BEGIN PUBLIC KEY-----), PEM PKCS#1 (-----BEGIN RSA PUBLIC KEY-----), the bare base64
 * of an SPKI (a PEM without its armor lines), or a JWK with "kty": "RSA". RSA ≥ 2048 only.
 */
export const MIN_MLE_RSA_BITS = 2048;
/** An RSA-16384 public key is ~3 KB of PEM; anything far longer is not one key. */
export const MAX_PUBLIC_KEY_CHARS = 20_000;

export type PublicKeyFormat = "spki-pem" | "pkcs1-pem" | "spki-base64" | "jwk";

export interface ParsedPublicKey {
  /** Normalized: PEM SPKI, "-----BEGIN PUBLIC KEY-----". */
  spkiPem: string;
  format: PublicKeyFormat;
  algorithm: "RSA";
  bits: number;
  /** SHA-256 of the SPKI DER, uppercase hex. */
  fingerprint: string;
}

export const PUBLIC_KEY_MESSAGES = {
  empty: "Paste your public key value: a PEM public key (-----BEGIN PUBLIC KEY-----) or a JSON Web Key.",
  unreadable:
    "This is not a public key we can read. Paste a PEM public key (-----BEGIN PUBLIC KEY----- or -----BEGIN RSA PUBLIC KEY-----) or an RSA JSON Web Key.",
  privateKey:
    "This is a PRIVATE key. A private key must never be shared, not even with us: it was not stored. Paste only the PUBLIC key (for example `openssl pkey -in key.pem -pubout`). If you pasted it anywhere else, consider it compromised.",
  tooLong: "This text is too long for one public key. Paste only the public key value.",
  certificate:
    "This is a certificate, not a public key. Paste the public key value (for example `openssl x509 -in cert.pem -pubkey -noout`).",
  notRsa: (type: string) =>
    `Only RSA public keys are accepted, and this is ${type === "ec" ? "an EC" : `an ${type.toUpperCase()}`} key. Paste an RSA public key of at least ${MIN_MLE_RSA_BITS} bits.`,
  tooShort: (bits: number) =>
    `This RSA key has ${bits} bits; keys must be at least ${MIN_MLE_RSA_BITS} bits long. Create a longer key (for example \`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048\`).`,
} as const;

function refuse(code: string, message: string): never {
  throw new AppError(code, message, { publicKey: message });
}

const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"] as const;

function readKey(text: string): { key: KeyObject; format: PublicKeyFormat } {
  if (text.startsWith("{")) {
    let jwk: JsonWebKey;
    try {
      jwk = JSON.parse(text) as JsonWebKey;
    } catch {
      refuse("PUBLIC_KEY_UNREADABLE", PUBLIC_KEY_MESSAGES.unreadable);
    }
    if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk))
      refuse("PUBLIC_KEY_UNREADABLE", PUBLIC_KEY_MESSAGES.unreadable);
    if (PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) refuse("PUBLIC_KEY_PRIVATE", PUBLIC_KEY_MESSAGES.privateKey);
    if (typeof jwk.kty === "string" && jwk.kty !== "RSA")
      refuse("PUBLIC_KEY_NOT_RSA", PUBLIC_KEY_MESSAGES.notRsa(jwk.kty));
    try {
      return { key: createPublicKey({ key: jwk, format: "jwk" }), format: "jwk" };
    } catch {
      refuse("PUBLIC_KEY_UNREADABLE", PUBLIC_KEY_MESSAGES.unreadable);
    }
  }
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
  if (label === undefined) {
    // A PEM body without its armor lines.
    const b64 = text.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) refuse("PUBLIC_KEY_UNREADABLE", PUBLIC_KEY_MESSAGES.unreadable);
    try {
      return {
        key: createPublicKey({ key: Buffer.from(b64, "base64"), format: "der", type: "spki" }),
        format: "spki-base64",
      };
    } catch {
      refuse("PUBLIC_KEY_UNREADABLE", PUBLIC_KEY_MESSAGES.unreadable);
    }
  }
  if (/PRIVATE KEY/.test(label)) refuse("PUBLIC_KEY_PRIVATE", PUBLIC_KEY_MESSAGES.privateKey);
  if (label === "CERTIFICATE") refuse("PUBLIC_KEY_CERTIFICATE", PUBLIC_KEY_MESSAGES.certificate);
  if (label !== "PUBLIC KEY" && label !== "RSA PUBLIC KEY")
    refuse("PUBLIC_KEY_UNREADABLE", PUBLIC_KEY_MESSAGES.unreadable);
  try {
    return {
      key: createPublicKey({ key: text, format: "pem" }),
      format: label === "PUBLIC KEY" ? "spki-pem" : "pkcs1-pem",
    };
  } catch {
    refuse("PUBLIC_KEY_UNREADABLE", PUBLIC_KEY_MESSAGES.unreadable);
  }
}

/** Parses and checks a pasted public key value; throws AppError with `fields.publicKey`. */
export function parseRsaPublicKey(text: string): ParsedPublicKey {
  const trimmed = text.trim();
  if (!trimmed) refuse("PUBLIC_KEY_EMPTY", PUBLIC_KEY_MESSAGES.empty);
  if (trimmed.length > MAX_PUBLIC_KEY_CHARS) refuse("PUBLIC_KEY_TOO_LONG", PUBLIC_KEY_MESSAGES.tooLong);
  const { key, format } = readKey(trimmed);
  if (key.type !== "public") refuse("PUBLIC_KEY_PRIVATE", PUBLIC_KEY_MESSAGES.privateKey);
  if (key.asymmetricKeyType !== "rsa")
    refuse("PUBLIC_KEY_NOT_RSA", PUBLIC_KEY_MESSAGES.notRsa(key.asymmetricKeyType ?? "unknown"));
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_MLE_RSA_BITS) refuse("PUBLIC_KEY_RSA_TOO_SHORT", PUBLIC_KEY_MESSAGES.tooShort(bits));
  const der = key.export({ type: "spki", format: "der" });
  return {
    spkiPem: key.export({ type: "spki", format: "pem" }).toString(),
    format,
    algorithm: "RSA",
    bits,
    fingerprint: createHash("sha256").update(der).digest("hex").toUpperCase(),
  };
}
