/**
 * Transactions (issue 17): the list's filters (date range, result, key ID, authentication type)
 * and Export CSV of the same filters through the route handler, as a signed-in user: scoped to
 * the org acted for and the environment, streamed in keyset batches; unusable URL values fall
 * back on the page (with a notice) and are a 400 with a sentence on the export.
 */
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
const { nextRequest } = await import("../helpers/next-request");

const { prisma } = await import("@/lib/db");
const { exportTransactionsCsv, listTransactions } = await import("@/lib/gateway-transactions");
const { transactionFiltersOrDefaults, parseTransactionFilters } = await import("@/lib/transaction-filters");
const { seed, signedInHeaders } = await import("../helpers/fixtures");

const portfolio = { id: "portfolioabc", type: "PORTFOLIO", portfolioId: null, accountId: null } as const;

async function readAll(res: Response): Promise<string> {
  return await res.text();
}

async function csvOf(gen: AsyncGenerator<string>) {
  let out = "";
  for await (const chunk of gen) out += chunk;
  return out;
}

beforeAll(async () => {
  await seed();
  const rows = [
    // id, day, merchant, key, auth type, http status, status
    ["tx17_a", "2026-03-01T10:00:00Z", "merchant12378", "key17_1", "http_signature", 201, "AUTHORIZED"],
    ["tx17_b", "2026-03-02T10:00:00Z", "merchant12378", "key17_1", "http_signature", 201, "DECLINED"],
    ["tx17_c", "2026-03-02T23:59:00Z", "merchant12379", "key17_2", "jwt", 401, "UNAUTHORIZED"],
    ["tx17_d", "2026-03-05T08:00:00Z", "merchant12378", "key17_3", "simple_order", 200, "ACCEPT"],
    ["tx17_e", "2026-03-02T12:00:00Z", "initech01", "key17_1", "http_signature", 201, "AUTHORIZED"],
    ["tx17_f", "2026-03-02T13:00:00Z", "merchant12378", "key17_1", "http_signature", 201, "AUTHORIZED"],
  ] as const;
  for (const [id, at, merchantId, keyId, authType, httpStatus, status] of rows) {
    await prisma.gatewayTransaction.create({
      data: { id, at: new Date(at), environment: "TEST", merchantId, keyId, authType, applications: ["ics_auth"], httpStatus, status },
    });
  }
  // The same request in Production: never on the Test list.
  await prisma.gatewayTransaction.create({
    data: {
      id: "tx17_prod",
      at: new Date("2026-03-02T11:00:00Z"),
      environment: "PRODUCTION",
      merchantId: "merchant12378",
      keyId: "key17_1",
      authType: "http_signature",
      applications: ["ics_auth"],
      httpStatus: 201,
      status: "AUTHORIZED",
    },
  });
});

const ids = async (filters: Parameters<typeof listTransactions>[0]) =>
  (await listTransactions(filters)).rows.map((r) => r.id).filter((id) => id.startsWith("tx17_"));

describe("Transactions filters and Export CSV (issue 17)", () => {
  it("filters by date range (UTC days, inclusive), result, key ID and authentication type", async () => {
    const base = { scope: portfolio, environment: "TEST" } as const;
    expect(await ids({ ...base, from: "2026-03-02", to: "2026-03-02" })).toEqual(["tx17_c", "tx17_f", "tx17_b"]);
    expect(await ids({ ...base, from: "2026-03-03" })).toEqual(["tx17_d"]);
    expect(await ids({ ...base, to: "2026-03-01" })).toEqual(["tx17_a"]);
    expect(await ids({ ...base, result: "failure" })).toEqual(["tx17_c"]);
    expect(await ids({ ...base, result: "success", keyId: "key17_1" })).toEqual(["tx17_f", "tx17_b", "tx17_a"]);
    expect(await ids({ ...base, authType: "simple_order" })).toEqual(["tx17_d"]);
    expect(await ids({ ...base, authType: "jwt", keyId: "key17_1" })).toEqual([]);
  });

  it("falls back to defaults with a plain notice for values it cannot use", () => {
    const { filters, notices } = transactionFiltersOrDefaults({
      authType: "kerberos",
      result: "maybe",
      from: "2026-13-45",
      keyId: "key17_1",
    });
    expect(filters).toEqual({ keyId: "key17_1" });
    expect(notices).toEqual([
      "The authentication type in the link is not one of the list's types, so all types are shown.",
      "The result in the link is not Success or Failure, so all results are shown.",
      "The From date in the link is not a date, so the list starts at the first transaction.",
    ]);
    expect(parseTransactionFilters({ authType: "kerberos" }).errors).toEqual({
      authType: "Choose an authentication type from the list.",
    });
  });

  it("exports the filtered rows of the org acted for as CSV, streamed; a bad value is a 400 sentence", async () => {
    const { GET } = await import(path.resolve("app/(portal)/transactions/export/route.ts"));
    nextRequest.headers = await signedInHeaders("portfolio.admin@keycenter.test");
    const res: Response = await GET(
      new Request("http://localhost/transactions/export?keyId=key17_1&result=success&from=2026-03-02", {
        headers: nextRequest.headers,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="transactions-portfolioabc-test-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await readAll(res)).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "request id,time,merchant,applications,status,http status,reason,amount,currency,key id,authentication type,meta key owner",
    );
    // tx17_e is another portfolio's MID, tx17_prod is Production: neither is exported.
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["tx17_f", "tx17_b"]);

    const bad: Response = await GET(
      new Request("http://localhost/transactions/export?authType=kerberos", { headers: nextRequest.headers }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe("Choose an authentication type from the list.");
  });

  it("reads the export in keyset batches: the same rows as one read, in order", async () => {
    const all = await csvOf(exportTransactionsCsv({ scope: portfolio, environment: "TEST", keyId: "key17_1" }));
    const batched = await csvOf(
      exportTransactionsCsv({ scope: portfolio, environment: "TEST", keyId: "key17_1", batchSize: 1 }),
    );
    expect(batched).toBe(all);
    expect(all.trimEnd().split("\r\n").slice(1).map((l) => l.split(",")[0])).toEqual(["tx17_f", "tx17_b", "tx17_a"]);
  });
});
