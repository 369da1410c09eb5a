import { createPrivateKey, createPublicKey } from "node:crypto";
import forge from "node-forge";
import { CompactEncrypt, compactDecrypt } from "jose";
import { AppError } from "@/lib/errors";

/**
 * Message-Level Encryption as the official SDK does it (cybersource-rest-client's
 * MLEUtility.encryptRequestPayload and JWEUtility.decryptJWEUsingPrivateKey), the client half of
 * the gateway's rules (lib/gateway/mle.ts): RSA-OAEP-256 + A256GCM, compact JWE.
 */
const ALG = "RSA-OAEP-256";
const ENC = "A256GCM";

/**
 * `{"encryptedRequest":"<JWE>"}` of the JSON body (re-serialized compactly, as the SDK's
 * `JSON.stringify(body, null, 0)`), encrypted to the request-MLE certificate with the SDK's
 * protected header: `alg`, `enc`, `cty: "JWT"`, `kid` = the certificate's subject serialNumber, `iat`.
 */
export async function encryptRequestLikeSdk(body: unknown, certificatePem: string): Promise<string> {
  const cert = forge.pki.certificateFromPem(certificatePem);
  const kid = cert.subject.getField({ type: "2.5.4.5" })?.value as string | undefined;
  if (!kid) throw new Error("the request-MLE certificate has no subject serialNumber");
  const jwe = await new CompactEncrypt(Buffer.from(JSON.stringify(body, null, 0)))
    .setProtectedHeader({ alg: ALG, enc: ENC, cty: "JWT", kid, iat: Math.floor(Date.now() / 1000) })
    .encrypt(createPublicKey(certificatePem));
  return JSON.stringify({ encryptedRequest: jwe });
}

/** The JWE of an `{"encryptedResponse":"<JWE>"}` answer (exactly that one member), else null. */
export function encryptedResponseOf(text: string): string | null {
  try {
    const body: unknown = JSON.parse(text);
    if (!body || typeof body !== "object" || Array.isArray(body)) return null;
    const jwe = (body as Record<string, unknown>).encryptedResponse;
    return Object.keys(body).length === 1 && typeof jwe === "string" ? jwe : null;
  } catch {
    return null;
  }
}

/** The response JWE's plaintext, decrypted with the Response MLE private key; a field message when it does not fit. */
export async function decryptResponseLikeSdk(jwe: string, privateKeyPem: string): Promise<string> {
  try {
    const { plaintext } = await compactDecrypt(jwe, createPrivateKey(privateKeyPem), {
      keyManagementAlgorithms: [ALG],
      contentEncryptionAlgorithms: [ENC],
    });
    return new TextDecoder().decode(plaintext);
  } catch {
    const message =
      "The response could not be decrypted with the key in this .p12: choose the .p12 of the REST – API Response MLE key whose key ID you entered.";
    throw new AppError("INVALID_INPUT", message, { responseMleP12: message });
  }
}
