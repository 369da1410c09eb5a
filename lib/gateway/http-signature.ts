import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * HTTP Signature as the official Cybersource REST SDKs send it (../shared/CYBERSOURCE-SDK.md):
 * `signature: keyid="..", algorithm="HmacSHA256", headers="host date request-target digest
 * v-c-merchant-id", signature=".."`, HMAC-SHA256 keyed with the base64-decoded shared secret.
 * Pure functions; authenticate.ts decides what the key may do.
 */
export interface SignatureParams {
  keyId: string;
  algorithm: string;
  headers: string[];
  signature: string;
}

/** An HTTP header name (RFC 9110 token), lower-case. */
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

/** Parses the `signature` header; null when it is not of the SDK's form. */
export function parseSignatureHeader(value: string | null): SignatureParams | null {
  if (!value) return null;
  const fields = new Map<string, string>();
  for (const m of value.matchAll(/([A-Za-z]+)\s*=\s*"([^"]*)"/g)) fields.set(m[1]!.toLowerCase(), m[2]!);
  const keyId = fields.get("keyid");
  const signature = fields.get("signature");
  const headers = fields.get("headers");
  if (!keyId || !signature || !headers) return null;
  const names = headers.trim().toLowerCase().split(/\s+/);
  // Header names are HTTP tokens (a Headers lookup throws on anything else), at most 32 of them.
  if (names.length > 32 || !names.every((n) => HEADER_NAME.test(n) || n === "(request-target)")) return null;
  return { keyId, algorithm: fields.get("algorithm") ?? "", headers: names, signature };
}

/** `SHA-256=<base64 SHA-256 of the raw body bytes>`, as the `digest` header carries it. */
export function bodyDigestHeader(body: Uint8Array): string {
  return `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
}

/**
 * The signed string: one `name: value` line per listed header, in the listed order, joined
 * by `\n`. `request-target` is `<lower-case method> <path + query>`; the `v-c-merchant-id`
 * line carries `signedMerchantId` (the key owner's org ID for a meta key).
 */
export function signingString(input: {
  headerNames: string[];
  method: string;
  pathWithQuery: string;
  header: (name: string) => string | null;
  signedMerchantId: string;
}): string | null {
  const lines: string[] = [];
  for (const name of input.headerNames) {
    if (name === "request-target" || name === "(request-target)") {
      lines.push(`request-target: ${input.method.toLowerCase()} ${input.pathWithQuery}`);
    } else if (name === "v-c-merchant-id") {
      lines.push(`v-c-merchant-id: ${input.signedMerchantId}`);
    } else {
      const value = input.header(name);
      if (value === null) return null;
      lines.push(`${name}: ${value}`);
    }
  }
  return lines.join("\n");
}

/** Constant-time HMAC-SHA256 check of a base64 signature under a base64 shared secret. */
export function verifyHmacSignature(sharedSecretB64: string, signed: string, signatureB64: string): boolean {
  const secret = Buffer.from(sharedSecretB64, "base64");
  if (secret.length === 0) return false;
  const expected = createHmac("sha256", secret).update(signed, "utf8").digest();
  const given = Buffer.from(signatureB64, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
