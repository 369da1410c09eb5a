import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { auditHashInput, GENESIS_HASH, recordAudit, sha256Hex } from "@/lib/audit";

describe("audit log", () => {
  it("chains each record to the one before, also when written concurrently", async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        prisma.$transaction((tx) => recordAudit(tx, { action: "test.event", targetId: String(i), details: { i } })),
      ),
    );
    const rows = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(rows).toHaveLength(8);
    let prev = GENESIS_HASH;
    for (const row of rows) {
      expect(row.prevHash).toBe(prev);
      expect(row.hash).toBe(sha256Hex(auditHashInput(prev, row)));
      prev = row.hash;
    }
  });

  it("writes nothing when the surrounding change rolls back", async () => {
    const before = await prisma.auditEvent.count();
    await expect(
      prisma.$transaction(async (tx) => {
        await recordAudit(tx, { action: "test.rolled_back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await prisma.auditEvent.count()).toBe(before);
  });
});

describe("audit hash", () => {
  it("does not depend on the key order jsonb gives details back in", async () => {
    await prisma.$transaction((tx) =>
      recordAudit(tx, { action: "test.order", details: { zebra: 1, a: { y: 2, b: [{ d: 1, c: 2 }] }, name: "x" } }),
    );
    const row = await prisma.auditEvent.findFirstOrThrow({ where: { action: "test.order" } });
    expect(row.hash).toBe(sha256Hex(auditHashInput(row.prevHash, row)));
    expect(
      sha256Hex(
        auditHashInput(row.prevHash, { ...row, details: { name: "x", a: { b: [{ c: 2, d: 1 }], y: 2 }, zebra: 1 } }),
      ),
    ).toBe(row.hash);
    expect(sha256Hex(auditHashInput(row.prevHash, { ...row, details: { name: "x", a: { y: 3 }, zebra: 1 } }))).not.toBe(
      row.hash,
    );
  });
});
