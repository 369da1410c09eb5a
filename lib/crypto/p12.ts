import { createCipheriv, createHash, createHmac, createPrivateKey, pbkdf2Sync, randomBytes } from "node:crypto";
import forge from "node-forge";
import { z } from "zod";

/**
 * PKCS#12 files for certificate keys, readable by OpenSSL 3 without `-legacy`, by the
 * Cybersource SDK (node-forge) and by Java's keytool:
 * - the private key in a pkcs8ShroudedKeyBag: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC);
 * - the key's certificate with friendlyName `serialNumber=<key id>,CN=<org id>` (the SDK
 *   picks the certificate whose friendly name contains `cn=<merchant id>`) and localKeyId
 *   pairing it with the key; then the CA chain; then the gateway's request-MLE certificate
 *   (friendlyName CyberSource_SJC_US), which the SDK finds by its subject CN;
 * - an HMAC-SHA-256 MAC over the whole (PKCS#12 KDF, as OpenSSL 3 writes by default).
 * Certificates are public and sit in a plain data bag. node-forge's own writer only does
 * SHA-1 MACs and one friendly name, so the structure is assembled here; the KDFs run in
 * native code.
 */

export const P12_ITERATIONS = 2048;

export const P12_PASSWORD_MIN_LENGTH = 12;
export const P12_PASSWORD_MAX_LENGTH = 128;

/**
 * The first thing wrong with a P12 password, or null. The rules: 12 to 128 characters of
 * printable ASCII (the SDK and OpenSSL read non-ASCII passwords differently), with at least
 * three of: lower-case letters, upper-case letters, digits, symbols.
 */
export function p12PasswordProblem(password: string): string | null {
  if (password.length < P12_PASSWORD_MIN_LENGTH) {
    return `Use at least ${P12_PASSWORD_MIN_LENGTH} characters.`;
  }
  if (password.length > P12_PASSWORD_MAX_LENGTH) {
    return `Use at most ${P12_PASSWORD_MAX_LENGTH} characters.`;
  }
  if (!/^[\x20-\x7e]+$/.test(password)) {
    return "Use only letters A–Z and a–z, digits, spaces and the symbols on a standard keyboard.";
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) {
    return "Mix at least three of: lower-case letters, upper-case letters, digits and symbols.";
  }
  return null;
}

/** For the Set a Password form: New Password and Confirm Password. */
export const p12PasswordSchema = z.string().superRefine((value, ctx) => {
  const problem = p12PasswordProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const setP12PasswordSchema = z
  .object({ password: p12PasswordSchema, confirmPassword: z.string() })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The passwords do not match.",
  });

/** The friendly name of a key's certificate bag (the guide's openssl command writes the same form). */
export function p12FriendlyName(keyId: string, orgId: string): string {
  return `serialNumber=${keyId},CN=${orgId}`;
}

const { asn1 } = forge;
const oid = (o: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
const seq = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const set = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
const octets = (b: Buffer) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, b.toString("binary"));
const int = (n: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const nul = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, "");
const explicit0 = (item: forge.asn1.Asn1) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [item]);
const der = (a: forge.asn1.Asn1) => Buffer.from(asn1.toDer(a).getBytes(), "binary");
const fromDer = (b: Buffer) => asn1.fromDer(b.toString("binary"));

const OID = {
  data: "1.2.840.113549.1.7.1",
  pkcs8ShroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
  certBag: "1.2.840.113549.1.12.10.1.3",
  x509Certificate: "1.2.840.113549.1.9.22.1",
  friendlyName: "1.2.840.113549.1.9.20",
  localKeyId: "1.2.840.113549.1.9.21",
  pbes2: "1.2.840.113549.1.5.13",
  pbkdf2: "1.2.840.113549.1.5.12",
  hmacWithSHA256: "1.2.840.113549.2.9",
  aes256Cbc: "2.16.840.1.101.3.4.1.42",
  sha256: "2.16.840.1.101.3.4.2.1",
};

function bagAttributes(attrs: { friendlyName?: string; localKeyId?: Buffer }): forge.asn1.Asn1 | undefined {
  const list: forge.asn1.Asn1[] = [];
  if (attrs.localKeyId) list.push(seq([oid(OID.localKeyId), set([octets(attrs.localKeyId)])]));
  if (attrs.friendlyName !== undefined) {
    // node-forge writes a BMPSTRING's JS string as UTF-16BE itself.
    const name = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BMPSTRING, false, attrs.friendlyName);
    list.push(seq([oid(OID.friendlyName), set([name])]));
  }
  return list.length ? set(list) : undefined;
}

function safeBag(bagId: string, value: forge.asn1.Asn1, attrs?: forge.asn1.Asn1): forge.asn1.Asn1 {
  return seq([oid(bagId), explicit0(value), ...(attrs ? [attrs] : [])]);
}

function dataContentInfo(content: Buffer): forge.asn1.Asn1 {
  return seq([oid(OID.data), explicit0(octets(content))]);
}

/** PKCS#8 EncryptedPrivateKeyInfo with PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC. */
function encryptPrivateKeyInfo(privateKeyPem: string, password: string): forge.asn1.Asn1 {
  const pkcs8 = createPrivateKey(privateKeyPem).export({ type: "pkcs8", format: "der" });
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  // PBES2 takes the password's bytes as they are (UTF-8), as OpenSSL does.
  const pwd = Buffer.from(password, "utf8");
  const key = pbkdf2Sync(pwd, salt, P12_ITERATIONS, 32, "sha256");
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  const encrypted = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return seq([
    seq([
      oid(OID.pbes2),
      seq([
        seq([oid(OID.pbkdf2), seq([octets(salt), int(P12_ITERATIONS), seq([oid(OID.hmacWithSHA256), nul()])])]),
        seq([oid(OID.aes256Cbc), octets(iv)]),
      ]),
    ]),
    octets(encrypted),
  ]);
}

/**
 * PKCS#12 key derivation (RFC 7292, appendix B.2) with SHA-256: the MAC key.
 * The password is its BMPString (UTF-16BE) with a two-byte terminator.
 */
export function pkcs12Kdf(password: string, salt: Buffer, id: number, iterations: number, length: number): Buffer {
  const u = 32;
  const v = 64;
  const pwd = Buffer.concat([Buffer.from(password, "utf16le").swap16(), Buffer.alloc(2)]);
  const fill = (src: Buffer) => {
    const out = Buffer.alloc(src.length === 0 ? 0 : v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(pwd)]);
  const blocks: Buffer[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let A = createHash("sha256").update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash("sha256").update(A).digest();
    blocks.push(A);
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length);
}

export interface BuildP12Input {
  privateKeyPem: string;
  certificatePem: string;
  /** Friendly name of the key's certificate and key bags. */
  friendlyName: string;
  /** CA certificates, issuing first. */
  chainPems: string[];
  /** Further certificates with their friendly names (the gateway MLE certificate). */
  extraCertificates?: { pem: string; friendlyName: string }[];
  password: string;
}

function certDer(pem: string): Buffer {
  return Buffer.from(forge.pem.decode(pem)[0]!.body, "binary");
}

function certBag(pem: string, attrs?: forge.asn1.Asn1): forge.asn1.Asn1 {
  return safeBag(OID.certBag, seq([oid(OID.x509Certificate), explicit0(octets(certDer(pem)))]), attrs);
}

export function buildP12(input: BuildP12Input): Buffer {
  const leaf = certDer(input.certificatePem);
  const localKeyId = createHash("sha1").update(leaf).digest();
  const attrs = bagAttributes({ friendlyName: input.friendlyName, localKeyId });

  const keyBags = seq([
    safeBag(OID.pkcs8ShroudedKeyBag, encryptPrivateKeyInfo(input.privateKeyPem, input.password), attrs),
  ]);
  const certBags = seq([
    certBag(input.certificatePem, attrs),
    ...input.chainPems.map((pem) => certBag(pem)),
    ...(input.extraCertificates ?? []).map((c) => certBag(c.pem, bagAttributes({ friendlyName: c.friendlyName }))),
  ]);
  const authSafe = der(seq([dataContentInfo(der(keyBags)), dataContentInfo(der(certBags))]));

  const macSalt = randomBytes(16);
  const macKey = pkcs12Kdf(input.password, macSalt, 3, P12_ITERATIONS, 32);
  const mac = createHmac("sha256", macKey).update(authSafe).digest();
  const macData = seq([seq([seq([oid(OID.sha256), nul()]), octets(mac)]), octets(macSalt), int(P12_ITERATIONS)]);

  return der(seq([int(3), dataContentInfo(authSafe), macData]));
}

/** Opens a P12 with node-forge (as the SDK does): for tests and diagnostics. */
export function readP12(p12: Buffer, password: string): forge.pkcs12.Pkcs12Pfx {
  return forge.pkcs12.pkcs12FromAsn1(fromDer(p12), false, password);
}
