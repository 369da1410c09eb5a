import { describe, expect, it } from "vitest";
import { keyProblem, type KeyRow } from "@/lib/gateway/keys";

const NOW = new Date("2026-03-01T12:00:00.000Z");

/** An active REST – Shared Secret key of merchant12378, loaded for merchant12378 (an active MID). */
function row(over: Partial<KeyRow> = {}): KeyRow {
  return {
    id: "key-1",
    type: "REST_SHARED_SECRET",
    environment: "TEST",
    orgId: "merchant12378",
    expiresAt: new Date(NOW.getTime() + 1),
    deactivatedAt: null,
    deletedAt: null,
    metaScope: null,
    secretCiphertext: null,
    certificatePem: null,
    ownerType: "MERCHANT",
    ownerPortfolioId: "portfolio1",
    ownerAccountId: "account1",
    metaKeysEnabled: true,
    midId: "merchant12378",
    midType: "MERCHANT",
    midStatus: "ACTIVE",
    midPortfolioId: "portfolio1",
    midAccountId: "account1",
    assigned: false,
    kmsApi: false,
    createdById: null,
    ...over,
  };
}

describe("the gateway's key rules (keyProblem)", () => {
  it("accepts a key until the millisecond before it expires", () => {
    expect(keyProblem(row(), "merchant12378", "TEST", NOW)).toBeNull();
  });

  it("refuses a key as expired from the very instant it expires, and after", () => {
    // The derived status alone decides: Active means expiresAt > now (lib/keys/status.ts).
    expect(keyProblem(row({ expiresAt: NOW }), "merchant12378", "TEST", NOW)).toBe("key expired");
    expect(keyProblem(row({ expiresAt: new Date(NOW.getTime() - 1) }), "merchant12378", "TEST", NOW)).toBe(
      "key expired",
    );
  });

  it("names deletion and deactivation before expiry", () => {
    const expired = { expiresAt: new Date(NOW.getTime() - 1) };
    expect(keyProblem(row({ ...expired, deletedAt: NOW }), "merchant12378", "TEST", NOW)).toBe("key deleted");
    expect(keyProblem(row({ ...expired, deactivatedAt: NOW }), "merchant12378", "TEST", NOW)).toBe(
      "key deactivated",
    );
  });

  it("refuses an inactive merchant ID", () => {
    expect(keyProblem(row({ midStatus: "INACTIVE" }), "merchant12378", "TEST", NOW)).toBe(
      "merchant ID merchant12378 is inactive",
    );
  });
});
