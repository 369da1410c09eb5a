import { createMessage, encrypt, readKey } from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePgpPublicKey, PGP_MESSAGES } from "@/lib/crypto/pgp";
import { Gpg } from "../../helpers/gpg";
import { rejectedAppError } from "../../helpers/refusal";

const DAY = 86_400_000;

/** The AppError a parse throws; fails the test when it does not throw one. */
const refusal = (text: string, now?: Date) =>
  rejectedAppError(parsePgpPublicKey(text, { now }), "the key was accepted");

describe("parsePgpPublicKey (keys made by GnuPG)", () => {
  const gpg = new Gpg();
  const fpr: Record<string, string> = {};

  beforeAll(() => {
    fpr.rsa3072 = gpg.genKey("Alice Merchant <alice@merchant.test>", "rsa3072", "cert,sign", "1y");
    gpg.addKey(fpr.rsa3072, "rsa3072", "encr", "1y");
    fpr.noExpiry = gpg.genKey("Forever <forever@merchant.test>", "rsa2048", "cert,encr", "never");
    fpr.rsa1024 = gpg.genKey("Small <small@merchant.test>", "rsa1024", "cert,sign", "1y");
    gpg.addKey(fpr.rsa1024, "rsa1024", "encr", "1y");
    fpr.ed25519 = gpg.genKey("Edwards <ed@merchant.test>", "ed25519", "cert,sign", "1y");
    gpg.addKey(fpr.ed25519, "cv25519", "encr", "1y");
    fpr.rsaWithCurveSubkey = gpg.genKey("Mixed <mixed@merchant.test>", "rsa3072", "cert,sign", "1y");
    gpg.addKey(fpr.rsaWithCurveSubkey, "cv25519", "encr", "1y");
    fpr.signOnly = gpg.genKey("Signer <signer@merchant.test>", "rsa3072", "cert,sign", "1y");
    fpr.expired = gpg.genKey("Old <old@merchant.test>", "rsa2048", "cert,sign", "1d", { fakedTime: "20200101T000000" });
    gpg.addKey(fpr.expired, "rsa2048", "encr", "1d", { fakedTime: "20200101T000000" });
    fpr.revoked = gpg.genKey("Revoked <revoked@merchant.test>", "rsa2048", "cert,encr", "1y");
    gpg.revoke(fpr.revoked);
  }, 120_000);
  afterAll(() => gpg.cleanup());

  it("accepts an RSA-3072 public key with an RSA encryption subkey and reports what gpg reports", async () => {
    const parsed = await parsePgpPublicKey(gpg.exportPublic(fpr.rsa3072!));
    expect(parsed.fingerprint).toBe(fpr.rsa3072);
    expect(parsed.keyId).toBe(fpr.rsa3072!.slice(-16));
    expect(parsed.userIds).toEqual(["Alice Merchant <alice@merchant.test>"]);
    expect(parsed.algorithm).toBe("RSA");
    expect(parsed.bits).toBe(3072);
    expect(parsed.encryptionKey.bits).toBe(3072);
    expect(parsed.encryptionKey.keyId).not.toBe(parsed.keyId);
    expect(Math.abs(parsed.createdAt.getTime() - Date.now())).toBeLessThan(DAY);
    const year = parsed.expiresAt!.getTime() - parsed.createdAt.getTime();
    expect(year).toBeGreaterThan(364 * DAY);
    expect(year).toBeLessThan(367 * DAY);
    expect(parsed.armored).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
  });

  it("gives a normalized key that gpg can decrypt what we encrypt to it", async () => {
    const parsed = await parsePgpPublicKey(gpg.exportPublic(fpr.rsa3072!));
    const message = await encrypt({
      message: await createMessage({ text: "Account Updater response file" }),
      encryptionKeys: await readKey({ armoredKey: parsed.armored }),
    });
    expect(gpg.decrypt(message as string)).toBe("Account Updater response file");
  });

  it("reports no expiry for a key that never expires", async () => {
    const parsed = await parsePgpPublicKey(gpg.exportPublic(fpr.noExpiry!));
    expect(parsed.expiresAt).toBeNull();
    expect(parsed.encryptionKey.keyId).toBe(parsed.keyId);
  });

  it("refuses a private key block with a warning, and never echoes the key back", async () => {
    const secret = gpg.exportSecret(fpr.rsa3072!);
    expect(secret).toMatch(/BEGIN PGP PRIVATE KEY BLOCK/);
    const e = await refusal(secret);
    expect(e.code).toBe("PGP_PRIVATE_KEY");
    expect(e.fields?.publicKey).toBe(PGP_MESSAGES.privateKey);
    expect(e.userMessage).toMatch(/private key must never be shared/i);
    const body = secret.split("\n").find((l) => l.length > 40)!;
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain(body.slice(0, 30));
  });

  it("refuses an RSA-1024 key because it is shorter than 2048 bits", async () => {
    const e = await refusal(gpg.exportPublic(fpr.rsa1024!));
    expect(e.code).toBe("PGP_RSA_TOO_SHORT");
    expect(e.fields?.publicKey).toMatch(/1024 bits.*at least 2048/);
  });

  it("refuses an Ed25519/Curve25519 key because only RSA is accepted", async () => {
    const e = await refusal(gpg.exportPublic(fpr.ed25519!));
    expect(e.code).toBe("PGP_NOT_RSA");
    expect(e.fields?.publicKey).toMatch(/Only RSA keys are accepted.*Ed25519/);
  });

  it("refuses an RSA key whose only encryption subkey is Curve25519", async () => {
    const e = await refusal(gpg.exportPublic(fpr.rsaWithCurveSubkey!));
    expect(e.code).toBe("PGP_NOT_RSA");
    expect(e.fields?.publicKey).toMatch(/Curve25519/);
  });

  it("refuses a key that expired, naming the date", async () => {
    const e = await refusal(gpg.exportPublic(fpr.expired!));
    expect(e.code).toBe("PGP_EXPIRED");
    expect(e.fields?.publicKey).toMatch(/expired on 2020-01-02/);
  });

  it("refuses a key that is valid today once the clock passes its own expiry", async () => {
    const armored = gpg.exportPublic(fpr.rsa3072!);
    await expect(parsePgpPublicKey(armored, { now: new Date(Date.now() + 300 * DAY) })).resolves.toBeTruthy();
    const e = await refusal(armored, new Date(Date.now() + 400 * DAY));
    expect(e.code).toBe("PGP_EXPIRED");
  });

  it("refuses a revoked key", async () => {
    const e = await refusal(gpg.exportPublic(fpr.revoked!));
    expect(e.code).toBe("PGP_REVOKED");
    expect(e.fields?.publicKey).toMatch(/revoked/);
  });

  it("refuses a key that can only sign, not encrypt", async () => {
    const e = await refusal(gpg.exportPublic(fpr.signOnly!));
    expect(e.code).toBe("PGP_NO_ENCRYPTION");
    expect(e.fields?.publicKey).toMatch(/cannot encrypt/);
  });

  it("refuses more than one key in one paste", async () => {
    const e = await refusal(gpg.run(["--armor", "--export", fpr.rsa3072!, fpr.noExpiry!]));
    expect(e.code).toBe("PGP_SEVERAL_KEYS");
  });

  it("refuses empty text, garbage, a truncated armor and a PEM public key as not a PGP key", async () => {
    expect((await refusal("   ")).code).toBe("PGP_EMPTY");
    expect((await refusal("hello")).code).toBe("PGP_UNREADABLE");
    expect((await refusal("A".repeat(300_000))).fields?.publicKey).toBe(PGP_MESSAGES.tooLong);
    const armored = gpg.exportPublic(fpr.rsa3072!);
    expect((await refusal(armored.slice(0, armored.length / 2))).code).toBe("PGP_UNREADABLE");
    const pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
    const e = await refusal(pem);
    expect(e.code).toBe("PGP_UNREADABLE");
    expect(e.fields?.publicKey).toBe(PGP_MESSAGES.unreadable);
  });
});
