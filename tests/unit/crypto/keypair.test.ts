import { createPrivateKey, createPublicKey } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  configureKeyPairPool,
  drainKeyPairPool,
  generateRsaKeyPair,
  keyPairPoolStats,
  takeKeyPair,
  warmKeyPairPool,
} from "@/lib/crypto/keypair";

afterEach(async () => {
  await drainKeyPairPool();
  configureKeyPairPool({ size: 0 });
});

describe("RSA key pairs", () => {
  it("generates an RSA-2048 pair whose public key matches its private key", async () => {
    const pair = await generateRsaKeyPair();
    const priv = createPrivateKey(pair.privateKeyPem);
    expect(priv.asymmetricKeyType).toBe("rsa");
    expect(priv.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(createPublicKey(priv).export({ type: "spki", format: "pem" })).toBe(pair.publicKeyPem);
  });

  it("keeps the event loop responsive while generating", async () => {
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
    clearInterval(timer);
    expect(maxGap).toBeLessThan(100);
  });
});

describe("key pair pool", () => {
  it("hands out pre-generated pairs once each and refills in the background", async () => {
    configureKeyPairPool({ size: 2 });
    await warmKeyPairPool();
    expect(keyPairPoolStats()).toMatchObject({ size: 2, available: 2 });
    const a = await takeKeyPair();
    const b = await takeKeyPair();
    expect(a.privateKeyPem).not.toBe(b.privateKeyPem);
    expect(keyPairPoolStats().refilling).toBe(true);
    await warmKeyPairPool();
    expect(keyPairPoolStats().available).toBe(2);
    const c = await takeKeyPair();
    expect([a.privateKeyPem, b.privateKeyPem]).not.toContain(c.privateKeyPem);
  });

  it("generates on demand when the pool is empty or turned off", async () => {
    configureKeyPairPool({ size: 0 });
    const pair = await takeKeyPair();
    expect(createPrivateKey(pair.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(keyPairPoolStats()).toEqual({ size: 0, available: 0, refilling: false });
  });

  it("drains: the pool is empty and a running refill adds nothing afterwards", async () => {
    configureKeyPairPool({ size: 3 });
    await warmKeyPairPool();
    await takeKeyPair(); // starts a refill
    expect(await drainKeyPairPool()).toBe(2);
    expect(keyPairPoolStats().available).toBe(0);
    expect(keyPairPoolStats().refilling).toBe(false);
  });
});
