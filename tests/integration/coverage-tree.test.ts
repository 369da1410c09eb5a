/**
 * The coverage tree of a meta key (issue 17) at 100,000 MIDs (generate_series, as in
 * portfolio-scale.test.ts): counts per account from one grouped query equal hand-written SQL,
 * an account's MIDs come page by page marked covered or not, another portfolio never appears,
 * and the first level and a page of MIDs are fast.
 */
import { beforeAll, describe, expect, it } from "vitest";

const { prisma } = await import("@/lib/db");
const { coverageTree, coverageMids, coverageLabel, midCount, TREE_PAGE } = await import("@/lib/keys/coverage-tree");
const { seed } = await import("../helpers/fixtures");

const MIDS = 100_000;
const ACCOUNTS = 12;
const DIRECT = 7; // MIDs directly under the portfolio, no account
const DAY = 86_400_000;

const count = async (sql: string) => Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(sql))[0]!.n);
const portfolio = { id: "portfolioabc", type: "PORTFOLIO" as const, portfolioId: null, accountId: null };

async function key(id: string, metaScope: "ALL" | "CUSTOM", orgId = "portfolioabc") {
  await prisma.key.create({
    data: {
      id,
      type: "REST_SHARED_SECRET",
      environment: "TEST",
      orgId,
      name: id,
      expiresAt: new Date(Date.now() + 100 * DAY),
      metaScope,
    },
  });
  return { id, metaScope };
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
}

let custom: { id: string; metaScope: "CUSTOM" };
let all: { id: string; metaScope: "ALL" };

beforeAll(async () => {
  await seed();
  await prisma.$executeRawUnsafe(`
    INSERT INTO organizations (id, name, type, status, "parentId", "portfolioId", "accountId")
    SELECT 'cov_acct_' || lpad(a::text, 2, '0'), 'Coverage account ' || a, 'ACCOUNT', 'ACTIVE', 'portfolioabc', 'portfolioabc', NULL
    FROM generate_series(0, ${ACCOUNTS - 1}) a`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO organizations (id, name, type, status, "parentId", "portfolioId", "accountId")
    SELECT 'cov_mid_' || lpad(i::text, 6, '0'), 'Coverage MID ' || i, 'MERCHANT', 'ACTIVE',
           'cov_acct_' || lpad((i % ${ACCOUNTS})::text, 2, '0'), 'portfolioabc', 'cov_acct_' || lpad((i % ${ACCOUNTS})::text, 2, '0')
    FROM generate_series(1, ${MIDS}) i`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO organizations (id, name, type, status, "parentId", "portfolioId", "accountId")
    SELECT 'cov_direct_' || i, 'Direct MID ' || i, 'MERCHANT', 'ACTIVE', 'portfolioabc', 'portfolioabc', NULL
    FROM generate_series(1, ${DIRECT}) i`);
  custom = (await key("cov-custom", "CUSTOM")) as typeof custom;
  all = (await key("cov-all", "ALL")) as typeof all;
  // Every third MID of the scale set, two direct ones, and one of another portfolio (never counted).
  await prisma.$executeRawUnsafe(`
    INSERT INTO meta_key_assignments ("keyId", mid)
    SELECT 'cov-custom', id FROM organizations
     WHERE (id LIKE 'cov_mid_%' AND right(id, 6)::int % 3 = 0) OR id IN ('cov_direct_1', 'cov_direct_2', 'initech01')`);
  await prisma.$executeRawUnsafe(`ANALYZE`);
}, 120_000);

describe("coverage tree at 100,000 MIDs", () => {
  it("the first level: one node per account with MID and covered counts equal to hand SQL", async () => {
    const [tree, ms] = await timed(() => coverageTree(custom, portfolio));
    const below = `FROM organizations o WHERE o.type = 'MERCHANT' AND o."portfolioId" = 'portfolioabc'`;
    const total = await count(`SELECT count(*) n ${below}`);
    const covered = await count(
      `SELECT count(*) n ${below} AND EXISTS (SELECT 1 FROM meta_key_assignments m WHERE m."keyId" = 'cov-custom' AND m.mid = o.id)`,
    );
    expect(total).toBeGreaterThanOrEqual(MIDS + DIRECT);
    expect(tree!.total).toBe(total);
    expect(tree!.covered).toBe(covered);
    expect(covered).toBe(Math.floor(MIDS / 3) + 2); // initech01's row is outside the portfolio
    // Accounts: the 12 scale accounts, the seed's, and the direct group last.
    const acct = tree!.groups!.find((g) => g.id === "cov_acct_03")!;
    expect(acct.total).toBe(await count(`SELECT count(*) n ${below} AND o."accountId" = 'cov_acct_03'`));
    expect(acct.covered).toBe(
      await count(
        `SELECT count(*) n ${below} AND o."accountId" = 'cov_acct_03' AND right(o.id, 6)::int % 3 = 0 AND o.id LIKE 'cov_mid_%'`,
      ),
    );
    expect(acct.total).toBeGreaterThan(TREE_PAGE);
    expect(acct.mids).toBeUndefined(); // more than 50 children: collapsed, nothing loaded
    const direct = tree!.groups!.at(-1)!;
    expect(direct.id).toBeNull();
    expect(direct.total).toBe(await count(`SELECT count(*) n ${below} AND o."accountId" IS NULL`));
    expect(direct.mids!.filter((m) => m.covered).map((m) => m.id)).toEqual(["cov_direct_1", "cov_direct_2"]);
    expect(tree!.groups!.every((g) => g.id === null || !g.id.startsWith("initech"))).toBe(true);
    console.log(`coverage tree first level at ${total} MIDs: ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(3_000);
  });

  it("ALL covers every MID below the portfolio", async () => {
    const tree = await coverageTree(all, portfolio);
    expect(tree!.all).toBe(true);
    expect(tree!.covered).toBe(tree!.total);
    expect(tree!.groups!.every((g) => g.covered === g.total)).toBe(true);
  });

  it("an account's MIDs page by page, covered ones marked; another portfolio's account gives nothing", async () => {
    const [first, ms] = await timed(() => coverageMids(custom, portfolio, "cov_acct_03", 1));
    expect(first.mids).toHaveLength(TREE_PAGE);
    expect(first.hasMore).toBe(true);
    for (const m of first.mids) expect(m.covered).toBe(Number(m.id.slice(-6)) % 3 === 0);
    const second = await coverageMids(custom, portfolio, "cov_acct_03", 2);
    expect(second.mids[0]!.id > first.mids.at(-1)!.id).toBe(true);
    expect((await coverageMids(custom, portfolio, "initech_portfolio", 1)).mids).toEqual([]);
    console.log(`coverage tree, one page of an account's MIDs: ${Math.round(ms)} ms`);
    expect(ms).toBeLessThan(1_000);
  });

  it("an account-owned key: the account's MIDs only", async () => {
    const acctKey = await key("cov-acct-key", "ALL", "acme_acct");
    const tree = await coverageTree(acctKey, {
      id: "acme_acct",
      type: "ACCOUNT",
      portfolioId: "portfolioabc",
      accountId: null,
    });
    expect(tree!.groups).toBeNull();
    expect(tree!.total).toBe(3);
    expect(tree!.mids!.map((m) => m.id)).toEqual(["merchant12378", "merchant12379", "merchant12380"]);
  });

  it("labels in words with plurals", () => {
    expect(midCount(1)).toBe("1 MID");
    expect(midCount(3)).toBe("3 MIDs");
    expect(coverageLabel(1204, 1204)).toBe("1,204 MIDs, 1,204 covered");
  });
});
