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
