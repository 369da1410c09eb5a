import { execFileSync } from "node:child_process";
import { createHash, createPublicKey } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRsaPublicKey, PUBLIC_KEY_MESSAGES } from "@/lib/crypto/public-key";
import { openssl } from "../../helpers/openssl";
import { thrownAppError } from "../../helpers/refusal";

const dir = mkdtempSync(path.join(tmpdir(), "kc-mle-"));

/** A private key made by openssl, and its public halves in each PEM form. */
function opensslKey(name: string, ...genArgs: string[]) {
  const file = path.join(dir, `${name}.pem`);
  openssl("genpkey", ...genArgs, "-out", file);
  return {
    privatePem: openssl("pkey", "-in", file),
    spkiPem: openssl("pkey", "-in", file, "-pubout"),
    file,
  };
}

const refusal = (text: string) => thrownAppError(() => parseRsaPublicKey(text), "the key was accepted");

describe("parseRsaPublicKey (Token Management MLE public key value)", () => {
  let rsa2048: ReturnType<typeof opensslKey>;
  let rsa1024: ReturnType<typeof opensslKey>;
  let ec: ReturnType<typeof opensslKey>;

  beforeAll(() => {
    rsa2048 = opensslKey("rsa2048", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
    rsa1024 = opensslKey("rsa1024", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024");
    ec = opensslKey("ec", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("accepts an openssl RSA-2048 SPKI PEM, with the SHA-256 fingerprint of the SPKI DER", () => {
    const parsed = parseRsaPublicKey(rsa2048.spkiPem);
    expect(parsed).toMatchObject({ algorithm: "RSA", bits: 2048, format: "spki-pem" });
    expect(parsed.spkiPem.trim()).toBe(rsa2048.spkiPem.trim());
    const opensslDer = execFileSync("openssl", ["pkey", "-in", rsa2048.file, "-pubout", "-outform", "DER"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    expect(parsed.fingerprint).toBe(createHash("sha256").update(opensslDer).digest("hex").toUpperCase());
  });

  it("accepts the same key as PKCS#1 PEM, as a bare base64 body, and as a JWK, normalized to one SPKI", () => {
    const pkcs1 = openssl("rsa", "-in", rsa2048.file, "-RSAPublicKey_out");
    expect(pkcs1).toMatch(/BEGIN RSA PUBLIC KEY/);
    const body = rsa2048.spkiPem.replace(/-----[A-Z ]+-----/g, "").trim();
    const jwk = JSON.stringify(createPublicKey(rsa2048.spkiPem).export({ format: "jwk" }));
    const reference = parseRsaPublicKey(rsa2048.spkiPem);
    for (const [text, format] of [
      [pkcs1, "pkcs1-pem"],
      [body, "spki-base64"],
      [jwk, "jwk"],
    ] as const) {
      const parsed = parseRsaPublicKey(text);
      expect(parsed.format).toBe(format);
      expect(parsed.spkiPem).toBe(reference.spkiPem);
      expect(parsed.fingerprint).toBe(reference.fingerprint);
    }
  });

  it("accepts a public JWK exported by jose", async () => {
    const { publicKey } = await generateKeyPair("RSA-OAEP-256", { modulusLength: 3072, extractable: true });
    const jwk = await exportJWK(publicKey);
    const parsed = parseRsaPublicKey(JSON.stringify({ ...jwk, alg: "RSA-OAEP-256", use: "enc" }));
    expect(parsed).toMatchObject({ format: "jwk", bits: 3072 });
    expect(parsed.spkiPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it("refuses an RSA-1024 key because it is shorter than 2048 bits", () => {
    const e = refusal(rsa1024.spkiPem);
    expect(e.code).toBe("PUBLIC_KEY_RSA_TOO_SHORT");
    expect(e.fields?.publicKey).toMatch(/1024 bits.*at least 2048/);
  });

  it("refuses an EC key because only RSA is accepted", () => {
    const e = refusal(ec.spkiPem);
    expect(e.code).toBe("PUBLIC_KEY_NOT_RSA");
    expect(e.fields?.publicKey).toMatch(/Only RSA.*an EC key/);
    expect(refusal(JSON.stringify(createPublicKey(ec.spkiPem).export({ format: "jwk" }))).code).toBe(
      "PUBLIC_KEY_NOT_RSA",
    );
  });

  it("refuses private keys (PKCS#8 PEM, PKCS#1 PEM, private JWK) with a warning, never echoing them", async () => {
    const pkcs1Private = openssl("rsa", "-in", rsa2048.file, "-traditional");
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const privateJwk = JSON.stringify(await exportJWK(privateKey));
    for (const text of [rsa2048.privatePem, pkcs1Private, privateJwk]) {
      const e = refusal(text);
      expect(e.code).toBe("PUBLIC_KEY_PRIVATE");
      expect(e.fields?.publicKey).toBe(PUBLIC_KEY_MESSAGES.privateKey);
      expect(e.userMessage).toMatch(/private key must never be shared/i);
      expect(e.userMessage).not.toContain(text.slice(40, 80));
    }
  });

  it("refuses a certificate, garbage and empty text with their own messages", () => {
    const cert = openssl("req", "-new", "-x509", "-key", rsa2048.file, "-subj", "/CN=merchant12378", "-days", "1");
    expect(refusal(cert).code).toBe("PUBLIC_KEY_CERTIFICATE");
    expect(refusal("not a key").code).toBe("PUBLIC_KEY_UNREADABLE");
    expect(refusal("{not json").code).toBe("PUBLIC_KEY_UNREADABLE");
    expect(refusal('{"kty":"RSA","n":"AQAB"}').code).toBe("PUBLIC_KEY_UNREADABLE");
    expect(refusal("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").code).toBe("PUBLIC_KEY_UNREADABLE");
    expect(refusal(" \n ").code).toBe("PUBLIC_KEY_EMPTY");
    expect(refusal("A".repeat(30_000)).code).toBe("PUBLIC_KEY_TOO_LONG");
  });
});
