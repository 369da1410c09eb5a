/**
 * Portfolio scale (issue 21): one portfolio with 100,000 transacting MIDs (built with
 * generate_series), audit events, transactions and people spread over them. As the
 * portfolio's administrator (a real session) every list page and both CSV exports open
 * without error, and their counts match hand-written SQL scoped by the hierarchy; another
 * portfolio's rows never appear. Scope is a join on the hierarchy columns, never a list of
 * 100,000 org IDs sent back as bind parameters (P2029 before the change).
 */
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
const { nextRequest, page } = await import("../helpers/next-request");

const { prisma } = await import("@/lib/db");
const { auditHashInput, GENESIS_HASH, sha256Hex } = await import("@/lib/audit");
const { resolvePortalSession } = await import("@/lib/auth/session");
const { listAuditEvents, exportAuditCsv, verifyAuditChain } = await import("@/lib/audit-log");
const { listTransactions } = await import("@/lib/gateway-transactions");
const { COUNT_CAP } = await import("@/lib/pagination");
const { listUsers } = await import("@/lib/auth/users");
const { listRoles } = await import("@/lib/auth/roles");
const { listReports } = await import("@/lib/reports");
const { searchOrgsWithin } = await import("@/lib/orgs/search");
const { searchMids } = await import("@/lib/orgs/mids");
const { seed, signedInHeaders } = await import("../helpers/fixtures");

const MIDS = 100_000;
const ACCOUNTS = 10;
const AUDIT_EVENTS = 20_000;
const PEOPLE = 600;
type Portfolio = Awaited<ReturnType<typeof resolvePortalSession>> & object;
let session: Portfolio;
/** Timings of each data function on the fixture, printed for the before/after note. */
const timings: Record<string, number> = {};

async function timed<T>(name: string, f: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await f();
  } finally {
    timings[name] = Math.round(performance.now() - t);
  }
}

async function readAll(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  return await res.text();
}

const count = async (sql: string) => Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(sql))[0]!.n);

/** In scope of portfolioabc: the portfolio itself or an org whose portfolioId is it. */
const IN_PORTFOLIO = `(SELECT id FROM organizations WHERE id = 'portfolioabc' OR "portfolioId" = 'portfolioabc')`;

beforeAll(async () => {
  const started = performance.now();
  await seed();
  await prisma.$executeRawUnsafe(`
    INSERT INTO organizations (id, name, type, status, "parentId", "portfolioId", "accountId")
    SELECT 'scale_acct_' || a, 'Scale account ' || a, 'ACCOUNT', 'ACTIVE', 'portfolioabc', 'portfolioabc', NULL
    FROM generate_series(0, ${ACCOUNTS - 1}) a`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO organizations (id, name, type, status, "parentId", "portfolioId", "accountId")
    SELECT 'scale_mid_' || lpad(i::text, 6, '0'), 'Scale MID ' || i, 'MERCHANT', 'ACTIVE',
           'scale_acct_' || (i % ${ACCOUNTS}), 'portfolioabc', 'scale_acct_' || (i % ${ACCOUNTS})
    FROM generate_series(1, ${MIDS}) i`);
  // People on MIDs across the portfolio (more than one page, more than the old take: 500).
  await prisma.$executeRawUnsafe(`
    INSERT INTO users (id, name, email, "orgId", "roleId", "updatedAt")
    SELECT 'scale_user_' || i, 'Scale person ' || i, 'scale' || lpad(i::text, 4, '0') || '@keycenter.test',
           'scale_mid_' || lpad((i * 97 % ${MIDS} + 1)::text, 6, '0'),
           CASE WHEN i % 3 = 0 THEN 'role_viewer' ELSE 'role_administrator' END, now()
    FROM generate_series(1, ${PEOPLE}) i`);
  // Transactions spread over the MIDs, some of another portfolio's MID and some without tenant.
  await prisma.$executeRawUnsafe(`
    INSERT INTO gateway_transactions (id, at, environment, "merchantId", "authType", applications, "httpStatus", status)
    SELECT 'scale_tx_' || i, now() - (i || ' seconds')::interval, 'TEST',
           CASE WHEN i % 50 = 0 THEN 'initech01' WHEN i % 71 = 0 THEN NULL
                ELSE 'scale_mid_' || lpad((i * 7 % ${MIDS} + 1)::text, 6, '0') END,
           'http_signature', ARRAY['ics_auth'], 201, 'AUTHORIZED'
    FROM generate_series(1, 30000) i`);
  // Audit events: a valid continuation of the hash chain (Verify chain stays intact).
  const last = await prisma.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  let prev = last?.hash ?? GENESIS_HASH;
  const cols: Record<string, (string | null)[]> = {
    at: [],
    orgId: [],
    action: [],
    actorEmail: [],
    prevHash: [],
    hash: [],
  };
  const base = Date.now() - AUDIT_EVENTS * 1000;
  for (let i = 1; i <= AUDIT_EVENTS; i++) {
    const record = {
      at: new Date(base + i * 1000),
      actorId: null,
      actorEmail: i % 40 === 0 ? "initech.admin@keycenter.test" : "portfolio.admin@keycenter.test",
      orgId: i % 40 === 0 ? "initech01" : `scale_mid_${String(((i * 13) % MIDS) + 1).padStart(6, "0")}`,
      action: i % 2 ? "key.create" : "key.download",
      targetType: null,
      targetId: null,
      result: "success",
      ip: null,
      userAgent: null,
      details: {},
    };
    const hash = sha256Hex(auditHashInput(prev, record));
    cols.at!.push(record.at.toISOString());
    cols.orgId!.push(record.orgId);
    cols.action!.push(record.action);
    cols.actorEmail!.push(record.actorEmail);
    cols.prevHash!.push(prev);
    cols.hash!.push(hash);
    prev = hash;
  }
  await prisma.$executeRaw`
    INSERT INTO audit_events (at, "orgId", action, "actorEmail", "prevHash", hash)
    SELECT * FROM unnest(${cols.at}::timestamptz[], ${cols.orgId}::text[], ${cols.action}::text[],
                         ${cols.actorEmail}::text[], ${cols.prevHash}::text[], ${cols.hash}::text[])
    ORDER BY 1`;
  await prisma.$executeRawUnsafe(`ANALYZE`);
  nextRequest.headers = await signedInHeaders("portfolio.admin@keycenter.test");
  session = (await resolvePortalSession(nextRequest.headers))!;
  timings.fixture = Math.round(performance.now() - started);
}, 120_000);

describe("a portfolio of 100,000 MIDs", () => {
  it("has the fixture: 100,000 MIDs below the portfolio", async () => {
    expect(
      await count(`SELECT count(*) n FROM organizations WHERE "portfolioId" = 'portfolioabc' AND type = 'MERCHANT'`),
    ).toBeGreaterThanOrEqual(MIDS);
  });

  it("Audit: the page, its count (= hand SQL), never another portfolio's events", async () => {
    const Audit = await page("app/(portal)/audit/page.tsx");
    await expect(Audit({ searchParams: Promise.resolve({}) })).resolves.toBeTruthy();
    const list = await timed("audit list", () => listAuditEvents({ scope: session.actingOrg, filters: {} }));
    const hand = await count(`SELECT count(*) n FROM audit_events WHERE "orgId" IN ${IN_PORTFOLIO}`);
    // Counted up to COUNT_CAP (lib/pagination.ts), then "more than".
    expect(hand).toBeGreaterThan(AUDIT_EVENTS / 2);
    expect(list.total).toBe(Math.min(hand, COUNT_CAP));
    expect(list.more).toBe(hand > COUNT_CAP);
    expect(list.rows).toHaveLength(50);
    expect(list.rows.some((r) => r.orgId?.startsWith("scale_mid_"))).toBe(true);
    expect(list.rows.every((r) => r.orgId !== "initech01")).toBe(true);
    const filtered = await timed("audit list filtered", () =>
      listAuditEvents({ scope: session.actingOrg, filters: { action: "download" }, page: 3 }),
    );
    const downloads = await count(
      `SELECT count(*) n FROM audit_events WHERE "orgId" IN ${IN_PORTFOLIO} AND action ILIKE '%download%'`,
    );
    expect(filtered.total).toBe(Math.min(downloads, COUNT_CAP));
    expect(filtered.more).toBe(downloads > COUNT_CAP);
    const deep = await timed("audit list page 200", () =>
      listAuditEvents({ scope: session.actingOrg, filters: {}, page: 200 }),
    );
    expect(deep.rows).toHaveLength(50);
    // Past the counted pages, Next goes on while rows follow, and stops at the last one.
    expect(deep.pageCount).toBe(hand > 200 * 50 ? 201 : 200);
    const last = Math.ceil(hand / 50);
    const end = await listAuditEvents({ scope: session.actingOrg, filters: {}, page: last });
    expect(end.rows).toHaveLength(hand - (last - 1) * 50);
    expect(end.pageCount).toBe(Math.max(last, COUNT_CAP / 50));
  });

  it("Audit: Export CSV streams every in-scope event, none of another portfolio", async () => {
    const { GET } = await import(path.resolve("app/(portal)/audit/export/route.ts"));
    const csv = await timed("audit export", async () =>
      readAll(await GET(new Request("http://localhost/audit/export", { headers: nextRequest.headers }))),
    );
    const lines = csv.trimEnd().split("\r\n");
    expect(lines.length - 1).toBe(await count(`SELECT count(*) n FROM audit_events WHERE "orgId" IN ${IN_PORTFOLIO}`));
    expect(csv).not.toContain("initech01");
    // The generator itself, in small batches (keyset): the same rows.
    let rows = 0;
    for await (const chunk of exportAuditCsv({
      scope: session.actingOrg,
      filters: { action: "create" },
      batchSize: 997,
    }))
      rows += chunk.split("\r\n").length - 1;
    expect(rows - 1).toBe(
      await count(`SELECT count(*) n FROM audit_events WHERE "orgId" IN ${IN_PORTFOLIO} AND action ILIKE '%create%'`),
    );
  });

  it("Audit: Verify chain is intact and counts only the portfolio's records", async () => {
    const report = await timed("verify chain", () => verifyAuditChain({ scope: session.actingOrg }));
    expect(report).toEqual({
      intact: true,
      checked: await count(`SELECT count(*) n FROM audit_events WHERE "orgId" IN ${IN_PORTFOLIO}`),
    });
  });

  it("Transactions: the page, its count (= hand SQL), never another portfolio's or tenantless rows", async () => {
    const Transactions = await page("app/(portal)/transactions/page.tsx");
    await expect(Transactions({ searchParams: Promise.resolve({}) })).resolves.toBeTruthy();
    const list = await timed("transactions list", () =>
      listTransactions({ scope: session.actingOrg, environment: session.environment }),
    );
    const hand = await count(
      `SELECT count(*) n FROM gateway_transactions WHERE environment = 'TEST' AND ("merchantId" IN ${IN_PORTFOLIO} OR "metaKeyOwner" = 'portfolioabc')`,
    );
    expect(hand).toBeGreaterThan(25_000);
    expect(list.total).toBe(COUNT_CAP);
    expect(list.more).toBe(true);
    expect(list.pageCount).toBe(COUNT_CAP / 25);
    expect(list.rows).toHaveLength(25);
    expect(list.rows.every((t) => t.merchantId?.startsWith("scale_mid_") || t.merchantId?.startsWith("merchant"))).toBe(
      true,
    );
    const deep = await timed("transactions list page 400", () =>
      listTransactions({ scope: session.actingOrg, environment: session.environment, page: 400 }),
    );
    expect(deep.rows).toHaveLength(25);
    expect(deep.pageCount).toBe(hand > 400 * 25 ? 401 : 400);
    const last = Math.ceil(hand / 25);
    const end = await listTransactions({ scope: session.actingOrg, environment: session.environment, page: last });
    expect(end.rows).toHaveLength(hand - (last - 1) * 25);
    expect(end.pageCount).toBe(last);
    const one = await timed("transactions by MID", () =>
      listTransactions({ scope: session.actingOrg, environment: session.environment, merchantId: "scale_mid_000008" }),
    );
    expect(one.total).toBe(
      await count(`SELECT count(*) n FROM gateway_transactions WHERE "merchantId" = 'scale_mid_000008'`),
    );
    const theirs = await listTransactions({
      scope: session.actingOrg,
      environment: session.environment,
      merchantId: "initech01",
    });
    expect(theirs.total).toBe(0);
  });

  it("Users: the page, paginated in the database, the count = hand SQL", async () => {
    const Users = await page("app/(portal)/users/page.tsx");
    await expect(Users({ searchParams: Promise.resolve({}) })).resolves.toBeTruthy();
    await expect(Users({ searchParams: Promise.resolve({ page: "3" }) })).resolves.toBeTruthy();
    const first = await timed("users list", () => listUsers(session.actingOrg));
    const hand = await count(`SELECT count(*) n FROM users WHERE "orgId" IN ${IN_PORTFOLIO}`);
    expect(hand).toBeGreaterThan(PEOPLE);
    expect(first.total).toBe(hand);
    expect(first.pageCount).toBeGreaterThan(1);
    const seen = new Set<string>();
    for (let p = 1; p <= first.pageCount; p++) {
      for (const u of (await listUsers(session.actingOrg, { page: p })).rows) seen.add(u.id);
    }
    expect(seen.size).toBe(hand);
    expect([...seen].some((id) => id.startsWith("scale_user_"))).toBe(true);
  });

  it("Roles: the page, and users per role counted within the portfolio", async () => {
    const Roles = await page("app/(portal)/roles/page.tsx");
    await expect(Roles()).resolves.toBeTruthy();
    const roles = await timed("roles list", () => listRoles({ org: session.userOrg }));
    const viewers = await count(
      `SELECT count(*) n FROM users WHERE "roleId" = 'role_viewer' AND "orgId" IN ${IN_PORTFOLIO}`,
    );
    expect(roles.find((r) => r.id === "role_viewer")!.userCount).toBe(viewers);
  });

  it("Reports: the page", async () => {
    const Reports = await page("app/(portal)/reports/page.tsx");
    await expect(Reports({ searchParams: Promise.resolve({}) })).resolves.toBeTruthy();
    await timed("reports list", () => listReports({ org: session.actingOrg, environment: session.environment }));
  });

  it("Key Management: Export CSV streams to the end", async () => {
    const { GET } = await import(path.resolve("app/(portal)/keys/export/route.ts"));
    const csv = await timed("keys export", async () =>
      readAll(await GET(new Request("http://localhost/keys/export", { headers: nextRequest.headers }))),
    );
    expect(csv.split("\r\n")[0]).toContain("Key ID");
  });

  it("Switch merchant search and the MID picker answer one page", async () => {
    const found = await timed("switch merchant search", () => searchOrgsWithin(session.userOrg, "scale_mid_0999"));
    expect(found.length).toBeGreaterThan(0);
    const mids = await timed("mid picker", () =>
      searchMids({ owner: session.userOrg, filter: { account: "scale_acct_3" } }),
    );
    expect(mids.total).toBe(MIDS / ACCOUNTS);
  });

  it("prints the timings", () => {
    console.log(`portfolio-scale timings (ms): ${JSON.stringify(timings)}`);
  });
});
