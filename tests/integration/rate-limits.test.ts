import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { consumeLimit, createLimits, resetLimit, tooManyAttemptsMessage } from "@/lib/rate-limit";

// Two app instances: each its own limiters on its own connection pool, one database.
const pools = [
  new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 }),
  new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 }),
];
afterAll(() => Promise.all(pools.map((p) => p.end())));

describe("shared rate limits", () => {
  it("counts across instances through PostgreSQL: the limit holds for the sum", async () => {
    const rules = { "signIn.ip": { points: 4, durationSeconds: 60 } };
    const [a, b] = pools.map((pool) => createLimits({ pool, rules }));
    const results = [
      await a!.consume("signIn.ip", "203.0.113.7"),
      await b!.consume("signIn.ip", "203.0.113.7"),
      await a!.consume("signIn.ip", "203.0.113.7"),
      await b!.consume("signIn.ip", "203.0.113.7"),
    ];
    expect(results.every((r) => r.ok)).toBe(true);
    const fifth = await a!.consume("signIn.ip", "203.0.113.7");
    expect(fifth).toEqual({ ok: false, retryAfterSeconds: expect.any(Number) });
    if (!fifth.ok) expect(fifth.retryAfterSeconds).toBeGreaterThan(50);
    expect((await b!.consume("signIn.ip", "203.0.113.7")).ok).toBe(false);
    // Another address, and the same address under another limit, count apart.
    expect((await b!.consume("signIn.ip", "203.0.113.8")).ok).toBe(true);
    expect((await b!.consume("secondFactor.ip", "203.0.113.7")).ok).toBe(true);
    const row = await prisma.rateLimit.findUniqueOrThrow({ where: { key: "signIn.ip:203.0.113.7" } });
    expect(row.points).toBe(6);
    // A reset on one instance clears it for the other.
    await a!.reset("signIn.ip", "203.0.113.7");
    expect((await b!.consume("signIn.ip", "203.0.113.7")).ok).toBe(true);
  });

  it("holds under concurrency: 30 parallel events across two instances, exactly the limit passes", async () => {
    const rules = { "stepUp.account": { points: 7, durationSeconds: 60 } };
    const [a, b] = pools.map((pool) => createLimits({ pool, rules }));
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a! : b!).consume("stepUp.account", "user-1")),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(7);
  });

  it("a refund gives one event back", async () => {
    const rules = { "secondFactor.ip": { points: 2, durationSeconds: 60 } };
    const [a, b] = pools.map((pool) => createLimits({ pool, rules }));
    await a!.consume("secondFactor.ip", "198.51.100.1");
    await a!.consume("secondFactor.ip", "198.51.100.1");
    await b!.refund("secondFactor.ip", "198.51.100.1");
    expect((await a!.consume("secondFactor.ip", "198.51.100.1")).ok).toBe(true);
    expect((await a!.consume("secondFactor.ip", "198.51.100.1")).ok).toBe(false);
  });

  it("stores odd keys (long, NUL, non-ASCII) as digests instead of failing", async () => {
    for (const key of ["x".repeat(5000), "a\u0000b", "ünïcode@example.test"]) {
      expect(await consumeLimit("signIn.account", key)).toEqual({ ok: true });
      await resetLimit("signIn.account", key);
    }
  });

  it("counts in process memory, and does not throw, when the shared store fails", async () => {
    const broken = new pg.Pool({
      connectionString: "postgresql://nobody@127.0.0.1:1/none",
      connectionTimeoutMillis: 500,
    });
    const limits = createLimits({ pool: broken, rules: { "gateway.ip": { points: 2, durationSeconds: 60 } } });
    expect((await limits.consume("gateway.ip", "192.0.2.1")).ok).toBe(true);
    expect((await limits.consume("gateway.ip", "192.0.2.1")).ok).toBe(true);
    expect((await limits.consume("gateway.ip", "192.0.2.1")).ok).toBe(false);
    await expect(limits.reset("gateway.ip", "192.0.2.1")).resolves.toBeUndefined();
    await broken.end();
  });

  it("says how long to wait in minutes", () => {
    expect(tooManyAttemptsMessage(30)).toBe("Too many attempts. Try again in 1 minute.");
    expect(tooManyAttemptsMessage(14 * 60 + 1)).toBe("Too many attempts. Try again in 15 minutes.");
  });
});
