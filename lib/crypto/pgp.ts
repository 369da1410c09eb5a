import { readKeys, type Key, type Subkey } from "openpgp";
import { AppError } from "@/lib/errors";

/**
 * Pasted PGP public keys (guide `{#keys-pgp-add}`, `{#keys-pgp-create}`): reports and Account
 * Updater files are encrypted to them, so KeyCenter accepts only what it can encrypt to:
 * one ASCII-armored OpenPGP PUBLIC key, RSA of at least 2048 bits (primary key and the
 * encryption key), able to encrypt, neither expired nor revoked.
 */
export const MIN_PGP_RSA_BITS = 2048;
/** Far above any real public key (an RSA-4096 key with many signatures is ~10-30 KB). */
export const MAX_PGP_KEY_CHARS = 200_000;

export interface ParsedPgpKey {
  /** The public key, re-armored by openpgp (normalized; nothing but public packets). */
  armored: string;
  /** 40 (v4) or 64 (v6) uppercase hex digits. */
  fingerprint: string;
  /** The primary key's 16-hex-digit key ID, uppercase. */
  keyId: string;
  userIds: string[];
  /** "RSA" (the only accepted family); `openpgpAlgorithm` keeps the library's name. */
  algorithm: "RSA";
  openpgpAlgorithm: string;
  bits: number;
  createdAt: Date;
  /** The key's own expiry (primary key), or null when it never expires. */
  expiresAt: Date | null;
  /** The key that reports get encrypted to: the primary key or a subkey. */
  encryptionKey: { keyId: string; fingerprint: string; bits: number; expiresAt: Date | null };
}

export const PGP_MESSAGES = {
  empty: "Paste your PGP public key: the ASCII-armored text that starts with -----BEGIN PGP PUBLIC KEY BLOCK-----.",
  unreadable:
    "This is not a PGP public key we can read. Paste the whole ASCII-armored public key, from -----BEGIN PGP PUBLIC KEY BLOCK----- to -----END PGP PUBLIC KEY BLOCK-----.",
  privateKey:
    "This is a PGP PRIVATE key. A private key must never be shared, not even with us: it was not stored. Export and paste only your PUBLIC key (for example `gpg --armor --export <your key ID>`). If you pasted it anywhere else, consider it compromised.",
  several: "This text holds more than one PGP key. Paste exactly one public key.",
  notRsa: (algorithm: string) =>
    `Only RSA keys are accepted, and this is a ${algorithm} key. Create an RSA key of at least ${MIN_PGP_RSA_BITS} bits (for example \`gpg --quick-gen-key "Name <email>" rsa3072\`, then add an RSA encryption subkey) and paste its public key.`,
  tooShort: (bits: number) =>
    `This RSA key has ${bits} bits; keys must be at least ${MIN_PGP_RSA_BITS} bits long. Create a longer key (3072 or 4096 bits) and paste its public key.`,
  expired: (at: Date) =>
    `This PGP key expired on ${at.toISOString().slice(0, 10)}. Extend its expiration date (gpg --quick-set-expire) or create a new key, then paste the public key again.`,
  revoked: "This PGP key has been revoked by its owner and can no longer be used. Paste a key that is not revoked.",
  noEncryption:
    "This PGP key cannot encrypt: it has no valid encryption key. Add an RSA encryption subkey (for example `gpg --quick-add-key <fingerprint> rsa3072 encr`) and paste the public key again.",
  tooLong: `This text is too long for a PGP public key (more than ${MAX_PGP_KEY_CHARS.toLocaleString("en-US")} characters). Export only the one public key you want us to use.`,
  invalid:
    "This PGP key could not be verified (its self-signature is missing or invalid). Export the public key again and paste it.",
} as const;

function refuse(code: string, message: string): never {
  throw new AppError(code, message, { publicKey: message });
}

const RSA_ALGORITHMS = new Set(["rsaEncryptSign", "rsaEncrypt", "rsaSign"]);

/** A readable name for an openpgp algorithm, for messages ("Ed25519", "Curve25519 (ECDH)"). */
function algorithmName(info: { algorithm: string; curve?: string }): string {
  const curve = info.curve?.replace(/Legacy$/, "");
  const named: Record<string, string> = { ed25519: "Ed25519", curve25519: "Curve25519", ed448: "Ed448", x448: "X448" };
  const base =
    {
      eddsaLegacy: "EdDSA",
      ed25519: "Ed25519",
      ed448: "Ed448",
      ecdh: "ECDH",
      ecdsa: "ECDSA",
      x25519: "X25519",
      x448: "X448",
      dsa: "DSA",
      elgamal: "ElGamal",
    }[info.algorithm] ?? info.algorithm;
  return curve ? `${base} (${named[curve] ?? curve})` : base;
}

function finiteDate(value: Date | number | null): Date | null {
  return value instanceof Date && Number.isFinite(value.getTime()) ? value : null;
}

/** Keeps openpgp's internal messages (which may quote the key) out of ours. */
async function safely<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch {
    return undefined;
  }
}

/**
 * Parses and checks a pasted ASCII-armored PGP public key. Throws AppError with
 * `fields.publicKey` for anything KeyCenter cannot encrypt to. Never echoes the input.
 */
export async function parsePgpPublicKey(text: string, opts: { now?: Date } = {}): Promise<ParsedPgpKey> {
  const now = opts.now ?? new Date();
  const armored = text.trim();
  if (!armored) refuse("PGP_EMPTY", PGP_MESSAGES.empty);
  if (armored.length > MAX_PGP_KEY_CHARS) refuse("PGP_TOO_LONG", PGP_MESSAGES.tooLong);
  // Look before parsing: a private block is refused whether or not openpgp can read it.
  if (/-----BEGIN PGP (PRIVATE|SECRET) KEY BLOCK-----/i.test(armored))
    refuse("PGP_PRIVATE_KEY", PGP_MESSAGES.privateKey);

  let keys: Key[];
  try {
    keys = await readKeys({ armoredKeys: armored });
  } catch {
    refuse("PGP_UNREADABLE", PGP_MESSAGES.unreadable);
  }
  if (keys.length === 0) refuse("PGP_UNREADABLE", PGP_MESSAGES.unreadable);
  if (keys.some((k) => k.isPrivate())) refuse("PGP_PRIVATE_KEY", PGP_MESSAGES.privateKey);
  if (keys.length > 1) refuse("PGP_SEVERAL_KEYS", PGP_MESSAGES.several);
  const key = keys[0]!;

  const info = key.getAlgorithmInfo();
  if (!RSA_ALGORITHMS.has(info.algorithm)) refuse("PGP_NOT_RSA", PGP_MESSAGES.notRsa(algorithmName(info)));
  const bits = info.bits ?? 0;
  if (bits < MIN_PGP_RSA_BITS) refuse("PGP_RSA_TOO_SHORT", PGP_MESSAGES.tooShort(bits));

  if (await safely(key.isRevoked(undefined, undefined, now))) refuse("PGP_REVOKED", PGP_MESSAGES.revoked);
  const expiresAt = finiteDate((await safely(key.getExpirationTime())) ?? null);
  if (expiresAt && expiresAt.getTime() <= now.getTime()) refuse("PGP_EXPIRED", PGP_MESSAGES.expired(expiresAt));
  try {
    await key.verifyPrimaryKey(now);
  } catch {
    refuse("PGP_INVALID", PGP_MESSAGES.invalid);
  }

  let encryptionKey: Key | Subkey;
  try {
    encryptionKey = await key.getEncryptionKey(undefined, now);
  } catch {
    // openpgp also lands here for weak or expired subkeys; say which, when we can.
    const subkeyInfo = key.subkeys.map((s) => s.getAlgorithmInfo());
    const nonRsa = subkeyInfo.find((s) => !RSA_ALGORITHMS.has(s.algorithm));
    if (nonRsa && subkeyInfo.every((s) => !RSA_ALGORITHMS.has(s.algorithm)))
      refuse("PGP_NOT_RSA", PGP_MESSAGES.notRsa(algorithmName(nonRsa)));
    const short = subkeyInfo.find((s) => RSA_ALGORITHMS.has(s.algorithm) && (s.bits ?? 0) < MIN_PGP_RSA_BITS);
    if (short) refuse("PGP_RSA_TOO_SHORT", PGP_MESSAGES.tooShort(short.bits ?? 0));
    refuse("PGP_NO_ENCRYPTION", PGP_MESSAGES.noEncryption);
  }
  const encInfo = encryptionKey.getAlgorithmInfo();
  if (!RSA_ALGORITHMS.has(encInfo.algorithm)) refuse("PGP_NOT_RSA", PGP_MESSAGES.notRsa(algorithmName(encInfo)));
  if ((encInfo.bits ?? 0) < MIN_PGP_RSA_BITS) refuse("PGP_RSA_TOO_SHORT", PGP_MESSAGES.tooShort(encInfo.bits ?? 0));
  const encExpiry =
    encryptionKey === key ? expiresAt : finiteDate((await safely(encryptionKey.getExpirationTime(now))) ?? null);

  return {
    armored: key.armor(),
    fingerprint: key.getFingerprint().toUpperCase(),
    keyId: key.getKeyID().toHex().toUpperCase(),
    userIds: key.getUserIDs(),
    algorithm: "RSA",
    openpgpAlgorithm: info.algorithm,
    bits,
    createdAt: key.getCreationTime(),
    expiresAt,
    encryptionKey: {
      keyId: encryptionKey.getKeyID().toHex().toUpperCase(),
      fingerprint: encryptionKey.getFingerprint().toUpperCase(),
      bits: encInfo.bits ?? 0,
      expiresAt: encExpiry,
    },
  };
}
