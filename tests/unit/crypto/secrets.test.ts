import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { openSecret, resealSecret, sealSecret, sealedVersion } from "@/lib/crypto/secrets";

const k1 = randomBytes(32).toString("base64");
const k2 = randomBytes(32).toString("base64");
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("secrets at rest", () => {
  it("round-trips and never contains the plaintext", () => {
    process.env.KEYCENTER_MASTER_KEY = k1;
    const secret = randomBytes(32).toString("base64");
    const blob = sealSecret(secret, "key-1");
    expect(blob.includes(Buffer.from(secret))).toBe(false);
    expect(openSecret(blob, "key-1").toString()).toBe(secret);
  });

  it("refuses a blob opened under another context or tampered with", () => {
    process.env.KEYCENTER_MASTER_KEY = k1;
    const blob = sealSecret("s3cret", "key-1");
    expect(() => openSecret(blob, "key-2")).toThrow();
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => openSecret(tampered, "key-1")).toThrow();
  });

  it("rotates: old blobs stay readable with the previous key and re-seal under the new one", () => {
    process.env.KEYCENTER_MASTER_KEY = k1;
    const old = sealSecret("s3cret", "key-1");
    process.env.KEYCENTER_MASTER_KEY = k2;
    process.env.KEYCENTER_MASTER_KEY_VERSION = "2";
    expect(() => openSecret(old, "key-1")).toThrow(/version 1/);
    process.env.KEYCENTER_MASTER_KEYS_PREVIOUS = `1:${k1}`;
    expect(openSecret(old, "key-1").toString()).toBe("s3cret");
    const fresh = resealSecret(old, "key-1");
    expect(sealedVersion(fresh)).toBe(2);
    delete process.env.KEYCENTER_MASTER_KEYS_PREVIOUS;
    expect(openSecret(fresh, "key-1").toString()).toBe("s3cret");
  });
});
