import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Secrets at rest (shared secrets, Secure Acceptance secret keys, CA private keys):
 * AES-256-GCM under a key derived (HKDF-SHA256) from the master key.
 *
 * Blob layout: [version:1][iv:12][tag:16][ciphertext]. The version names the master key
 * that sealed it, so the master key can be rotated: set KEYCENTER_MASTER_KEY to the new
 * key, KEYCENTER_MASTER_KEY_VERSION to the next number, and keep the old ones readable in
 * KEYCENTER_MASTER_KEYS_PREVIOUS ("1:<base64>,2:<base64>"); re-seal with `resealSecret`.
 */
const IV = 12;
const TAG = 16;

/**
 * The derived keys, by version and master key: HKDF per request cost the gateway more than the
 * decryption itself. Holding them adds nothing to what the process already holds (the master
 * key is in its environment), and a changed master key derives anew.
 */
const derived = new Map<string, Buffer>();

function derive(master: string, version: number): Buffer {
  const cacheKey = `${version}:${master}`;
  const cached = derived.get(cacheKey);
  if (cached) return cached;
  const raw = Buffer.from(master, "base64");
  if (raw.length < 32) throw new Error("KEYCENTER_MASTER_KEY must be at least 32 bytes, base64-encoded");
  const key = Buffer.from(hkdfSync("sha256", raw, Buffer.alloc(0), `keycenter secrets at rest v${version}`, 32));
  if (derived.size >= 16) derived.clear();
  derived.set(cacheKey, key);
  return key;
}

export function currentKeyVersion(): number {
  return Number(process.env.KEYCENTER_MASTER_KEY_VERSION ?? 1);
}

/** KEYCENTER_MASTER_KEYS_PREVIOUS as version → base64 key ("1:<base64>,2:<base64>"). */
function previousKeys(): Map<number, string> {
  const keys = new Map<number, string>();
  for (const entry of (process.env.KEYCENTER_MASTER_KEYS_PREVIOUS ?? "").split(",")) {
    const [v, key] = entry.trim().split(":");
    if (key) keys.set(Number(v), key);
  }
  return keys;
}

/** The versions KEYCENTER_MASTER_KEYS_PREVIOUS holds a key for (the rotation's pre-check). */
export function previousKeyVersions(): number[] {
  return [...previousKeys().keys()].sort((a, b) => a - b);
}

function keyFor(version: number): Buffer {
  if (version === currentKeyVersion()) {
    const master = process.env.KEYCENTER_MASTER_KEY;
    if (!master) throw new Error("KEYCENTER_MASTER_KEY is not set");
    return derive(master, version);
  }
  const key = previousKeys().get(version);
  if (key) return derive(key, version);
  throw new Error(`No master key for version ${version}`);
}

/** Seals `plaintext`; `context` (e.g. the key ID) is bound as additional data. */
export function sealSecret(plaintext: Buffer | string, context: string): Buffer {
  const version = currentKeyVersion();
  const iv = randomBytes(IV);
  const cipher = createCipheriv("aes-256-gcm", keyFor(version), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([version]), iv, cipher.getAuthTag(), body]);
}

export function openSecret(blob: Uint8Array, context: string): Buffer {
  const buf = Buffer.from(blob);
  const version = buf[0]!;
  const decipher = createDecipheriv("aes-256-gcm", keyFor(version), buf.subarray(1, 1 + IV));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(buf.subarray(1 + IV, 1 + IV + TAG));
  return Buffer.concat([decipher.update(buf.subarray(1 + IV + TAG)), decipher.final()]);
}

export function sealedVersion(blob: Uint8Array): number {
  return blob[0]!;
}

/** Re-seals under the current master key (rotation). */
export function resealSecret(blob: Uint8Array, context: string): Buffer {
  return sealSecret(openSecret(blob, context), context);
}
