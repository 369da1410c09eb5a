import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { recordAudit } from "@/lib/audit";
import { exportAuditCsv, listAuditEvents, parseAuditFilters, verifyAuditChain } from "@/lib/audit-log";
import { csvField } from "@/lib/csv";
import { seed, signedInHeaders } from "../helpers/fixtures";

const portfolio = { id: "portfolioabc", type: "PORTFOLIO", portfolioId: null, accountId: null } as const;
const merchant = {
  id: "merchant12378",
  type: "MERCHANT",
  portfolioId: "portfolioabc",
  accountId: "acme_acct",
} as const;

async function csvOf(gen: AsyncGenerator<string>) {
  let out = "";
  for await (const chunk of gen) out += chunk;
  return out;
}

const write = (input: Parameters<typeof recordAudit>[1]) => prisma.$transaction((tx) => recordAudit(tx, input));

beforeAll(async () => {
  await seed();
  await signedInHeaders("portfolio.admin@keycenter.test");
  await signedInHeaders("initech.admin@keycenter.test");
  await write({
    action: "test.tricky",
    orgId: "merchant12378",
    actorEmail: "merchant.admin@keycenter.test",
    targetType: "key",
    targetId: 'he said "hi", then\nleft',
    userAgent: '=HYPERLINK("http://evil")',
    // Written in an order jsonb does not keep: the chain must still verify.
    details: { type: "SHARED_SECRET", name: 'Webhooks, "main"', nested: { zeta: 1, a: [{ yy: 1, x: 2 }] } },
  });
  await write({ action: "test.other_portfolio", orgId: "initech01", actorEmail: "initech.admin@keycenter.test" });
});

describe("audit log page, export and chain", () => {
  it("lists the org's and its descendants' events newest first, never another portfolio's", async () => {
    const all = await listAuditEvents({ scope: portfolio, filters: {} });
    expect(all.rows[0]!.action).toBe("test.tricky");
    expect(all.rows.map((r) => r.action)).toContain("auth.sign_in");
    expect(all.rows.every((r) => r.orgId !== "initech01")).toBe(true);
    const seqs = all.rows.map((r) => BigInt(r.seq));
    expect([...seqs].sort((a, b) => (a > b ? -1 : 1))).toEqual(seqs);

    const own = await listAuditEvents({ scope: merchant, filters: {} });
    expect(own.rows.map((r) => r.action)).toEqual(["test.tricky"]);
  });

  it("filters by action, actor, result and date range, and pages by 50", async () => {
    const { filters, errors } = parseAuditFilters({
      action: "sign_in",
      actor: "PORTFOLIO.admin",
      result: "success",
      from: "2000-01-01",
      to: new Date().toISOString().slice(0, 10),
    });
    expect(errors).toEqual({});
    const found = await listAuditEvents({ scope: portfolio, filters });
    expect(found.total).toBe(1);
    expect(found.rows[0]).toMatchObject({ action: "auth.sign_in", actorEmail: "portfolio.admin@keycenter.test" });
    expect((await listAuditEvents({ scope: portfolio, filters: { result: "failure" } })).total).toBe(0);
    expect((await listAuditEvents({ scope: portfolio, filters: { to: "2000-01-01" } })).total).toBe(0);
    expect(parseAuditFilters({ from: "yesterday", result: "maybe" }).errors).toMatchObject({
      from: expect.any(String),
      result: expect.any(String),
    });

    await Promise.all(
      Array.from({ length: 60 }, (_, i) => write({ action: "test.bulk", orgId: "acme_acct", targetId: String(i) })),
    );
    const first = await listAuditEvents({ scope: portfolio, filters: { action: "test.bulk" } });
    expect(first).toMatchObject({ total: 60, page: 1, pageCount: 2 });
    expect(first.rows).toHaveLength(50);
    const second = await listAuditEvents({ scope: portfolio, filters: { action: "test.bulk" }, page: 2 });
    expect(second.rows).toHaveLength(10);
  });

  it("exports CSV with RFC 4180 quoting, defused formulas, the filters and the scope", async () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField(null)).toBe("");

    const csv = await csvOf(exportAuditCsv({ scope: portfolio, filters: {}, batchSize: 7 }));
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("seq,time,actor,org,action,target type,target,result,ip,user agent,details");
    expect(csv).toContain('"he said ""hi"", then\nleft"');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain("portfolio.admin@keycenter.test,portfolioabc,auth.sign_in");
    expect(csv).not.toContain("initech");
    // Every event in scope, once each, across batches.
    const inScope = await listAuditEvents({ scope: portfolio, filters: {}, pageSize: 1000 });
    const seqs = csv
      .split("\r\n")
      .slice(1)
      .map((l) => /^(\d+),\d{4}-/.exec(l)?.[1])
      .filter(Boolean);
    expect(seqs).toEqual(inScope.rows.map((r) => r.seq));

    const signIns = await csvOf(exportAuditCsv({ scope: portfolio, filters: { action: "sign_in" } }));
    expect(signIns.trim().split("\r\n")).toHaveLength(2);
  });

  it("Verify chain counts and names only the caller's records, though it checks the whole chain", async () => {
    const initech = { id: "initech_portfolio", type: "PORTFOLIO", portfolioId: null, accountId: null } as const;
    const total = await prisma.auditEvent.count();
    const [{ mine }] = await prisma.$queryRaw<[{ mine: bigint }]>`
      SELECT count(*) AS mine FROM audit_events a JOIN organizations o ON o.id = a."orgId"
      WHERE o.id = 'portfolioabc' OR o."portfolioId" = 'portfolioabc'`;
    const ours = await verifyAuditChain({ scope: portfolio, batchSize: 3 });
    expect(ours).toEqual({ intact: true, checked: Number(mine) });
    expect(Number(mine)).toBeLessThan(total);
    const theirs = await verifyAuditChain({ scope: initech, batchSize: 3 });
    expect(theirs.checked).toBeGreaterThan(0);
    expect(theirs.checked + Number(mine)).toBeLessThanOrEqual(total);

    // A break in another portfolio's record is reported without its number.
    const other = await prisma.auditEvent.findFirstOrThrow({ where: { action: "test.other_portfolio" } });
    await prisma.$executeRaw`UPDATE audit_events SET action = 'test.edited' WHERE seq = ${other.seq}`;
    try {
      expect(await verifyAuditChain({ scope: portfolio })).toMatchObject({ intact: false, brokenSeq: null });
      expect(await verifyAuditChain({ scope: initech })).toMatchObject({
        intact: false,
        brokenSeq: other.seq.toString(),
      });
    } finally {
      await prisma.$executeRaw`UPDATE audit_events SET action = 'test.other_portfolio' WHERE seq = ${other.seq}`;
    }
  });

  it("reports an intact chain, then the first record altered in the database", async () => {
    const total = await prisma.auditEvent.count();
    expect(await verifyAuditChain({ batchSize: 5 })).toEqual({ intact: true, checked: total });

    const target = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "auth.sign_in" },
      orderBy: { seq: "asc" },
    });
    await prisma.$executeRaw`UPDATE audit_events SET action = 'auth.nothing_to_see' WHERE seq = ${target.seq}`;
    const report = await verifyAuditChain({ batchSize: 5 });
    expect(report).toMatchObject({ intact: false, brokenSeq: target.seq.toString() });

    await prisma.$executeRaw`UPDATE audit_events SET action = ${target.action} WHERE seq = ${target.seq}`;
    expect((await verifyAuditChain()).intact).toBe(true);

    // A changed detail value is caught too, whatever the key order.
    const tricky = await prisma.auditEvent.findFirstOrThrow({ where: { action: "test.tricky" } });
    await prisma.$executeRaw`UPDATE audit_events SET details = jsonb_set(details, '{name}', '"other"') WHERE seq = ${tricky.seq}`;
    expect(await verifyAuditChain()).toMatchObject({ intact: false, brokenSeq: tricky.seq.toString() });

    // A deleted record breaks the link of the one after it.
    await prisma.$executeRaw`UPDATE audit_events SET details = ${JSON.stringify(tricky.details)}::jsonb WHERE seq = ${tricky.seq}`;
    const next = await prisma.auditEvent.findFirstOrThrow({
      where: { seq: { gt: tricky.seq } },
      orderBy: { seq: "asc" },
    });
    await prisma.$executeRaw`DELETE FROM audit_events WHERE seq = ${tricky.seq}`;
    expect(await verifyAuditChain()).toMatchObject({ intact: false, brokenSeq: next.seq.toString() });
  });
});
