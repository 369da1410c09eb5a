import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { CompactEncrypt, compactDecrypt } from "jose";

/**
 * Message-Level Encryption (G4): requests `{"encryptedRequest":"<JWE>"}` encrypted to the
 * environment's gateway MLE certificate (CN=CyberSource_SJC_US), responses
 * `{"encryptedResponse":"<JWE>"}` encrypted to the merchant's REST – API Response MLE
 * certificate. Always RSA-OAEP-256 + A256GCM.
 */
const ALG = "RSA-OAEP-256";
const ENC = "A256GCM";

/** The JWE of an MLE request wrapper (exactly one member, a string), else null. */
export function encryptedRequestOf(body: unknown): string | null {
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const keys = Object.keys(body);
  const jwe = (body as Record<string, unknown>).encryptedRequest;
  return keys.length === 1 && typeof jwe === "string" ? jwe : null;
}

const privateKeys = new Map<string, KeyObject>();

/** Decrypts a request JWE with the gateway MLE private key (PEM); throws when it cannot. */
export async function decryptRequest(jwe: string, gatewayPrivateKeyPem: string): Promise<Uint8Array> {
  let key = privateKeys.get(gatewayPrivateKeyPem);
  if (!key) {
    key = createPrivateKey(gatewayPrivateKeyPem);
    privateKeys.set(gatewayPrivateKeyPem, key);
  }
  const { plaintext } = await compactDecrypt(jwe, key, {
    keyManagementAlgorithms: [ALG],
    contentEncryptionAlgorithms: [ENC],
  });
  return plaintext;
}

/** `{"encryptedResponse":"<JWE>"}` of `body`, encrypted to `certificatePem`, `kid` = the key ID. */
export async function encryptResponse(body: string, certificatePem: string, kid: string): Promise<string> {
  const jwe = await new CompactEncrypt(new TextEncoder().encode(body))
    .setProtectedHeader({ alg: ALG, enc: ENC, cty: "JWT", kid, iat: Math.floor(Date.now() / 1000) })
    .encrypt(createPublicKey(certificatePem));
  return JSON.stringify({ encryptedResponse: jwe });
}
