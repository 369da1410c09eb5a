import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { KeyType } from "@/lib/generated/prisma/enums";
import { DEFAULT_FILTERS, parseFilters, searchKeys, type KeySearchFilters } from "@/lib/keys/search";
import { seed } from "../helpers/fixtures";

const DAY = 86_400_000;
const NOW = new Date("2026-06-15T12:00:00Z");
const ORG = "merchant12379";

/** Keys of one org with known dates, on top of the demo data (which belongs to other orgs' tests). */
async function key(id: string, type: KeyType, createdDaysAgo: number, expiresInDays: number, extra = {}) {
  await prisma.key.create({
    data: {
      id,
      type,
      environment: "TEST",
      orgId: ORG,
      name: `key ${id}`,
      createdAt: new Date(NOW.getTime() - createdDaysAgo * DAY),
      expiresAt: new Date(NOW.getTime() + expiresInDays * DAY),
      ...extra,
    },
  });
}

const search = (f: Partial<KeySearchFilters> = {}, orgId = ORG) =>
  searchKeys({ orgId, environment: "TEST", filters: { ...DEFAULT_FILTERS, ...f } as KeySearchFilters, now: NOW });
const ids = async (f: Partial<KeySearchFilters> = {}) => (await search(f)).rows.map((r) => r.id);

describe("key search", () => {
  beforeAll(async () => {
    await seed();
    await prisma.key.deleteMany({ where: { orgId: ORG } });
    await key("cert-10d", "REST_CERTIFICATE", 1000, 10);
    await key("cert-50d", "REST_CERTIFICATE", 5, 50);
    await key("secret-30d", "REST_SHARED_SECRET", 200, 30);
    await key("secret-90d", "REST_SHARED_SECRET", 100, 90);
    await key("secret-expired", "REST_SHARED_SECRET", 1100, -5);
    await key("pgp-20d", "PGP", 300, 20);
    await key("sa-40d", "SECURE_ACCEPTANCE", 400, 40);
    await key("sa-off", "SECURE_ACCEPTANCE", 10, 45, { deactivatedAt: new Date(NOW.getTime() - DAY) });
    await key("so-15d", "SIMPLE_ORDER", 2, 15);
    await key("mle-5d", "TOKEN_MANAGEMENT_MLE", 50, 5);
    await key("deleted-5d", "REST_CERTIFICATE", 50, 5, { deletedAt: new Date(NOW.getTime() - DAY) });
    await key("prod-5d", "REST_CERTIFICATE", 50, 5, { environment: "PRODUCTION" });
  });

  it("defaults to the guide's filters: next 60 days, All types (without PGP, SA, MLE...), soonest first", async () => {
    expect(await ids()).toEqual(["cert-10d", "so-15d", "secret-30d", "cert-50d"]);
  });

  it("finds the types All leaves out only when chosen one by one", async () => {
    expect(await ids({ type: "PGP" })).toEqual(["pgp-20d"]);
    expect(await ids({ type: "SECURE_ACCEPTANCE" })).toEqual(["sa-40d", "sa-off"]);
    expect(await ids({ type: "TOKEN_MANAGEMENT_MLE" })).toEqual(["mle-5d"]);
    expect(await ids({ type: "REST_SHARED_SECRET" })).toEqual(["secret-30d"]);
  });

  it("Expires In: the default hides a key expiring in 90 days; All Dates and Custom Date find it", async () => {
    expect(await ids()).not.toContain("secret-90d");
    expect(await ids({ expiresIn: "all" })).toContain("secret-90d");
    expect(await ids({ expiresIn: "custom", expiresStart: "2026-09-01", expiresEnd: "2026-09-30" })).toEqual([
      "secret-90d",
    ]);
    expect(await ids({ expiresIn: "next7" })).toEqual([]); // mle-5d is not in All
  });

  it("Created At: ranges and a custom range with inclusive end date", async () => {
    expect(await ids({ expiresIn: "all", createdAt: "last7" })).toEqual(["so-15d", "cert-50d"]);
    const created = new Date(NOW.getTime() - 100 * DAY).toISOString().slice(0, 10);
    expect(await ids({ expiresIn: "all", createdAt: "custom", createdStart: created, createdEnd: created })).toEqual([
      "secret-90d",
    ]);
  });

  it("Key Status: Active, Inactive (expired or deactivated) and All", async () => {
    expect(await ids({ expiresIn: "all", status: "inactive" })).toEqual(["secret-expired"]);
    expect(await ids({ expiresIn: "all", status: "inactive", type: "SECURE_ACCEPTANCE" })).toEqual(["sa-off"]);
    expect(await ids({ expiresIn: "all", status: "active", type: "SECURE_ACCEPTANCE" })).toEqual(["sa-40d"]);
    expect((await ids({ expiresIn: "all", status: "all" })).length).toBe(6);
  });

  it("Key ID finds that one key whatever the date filters say", async () => {
    expect(await ids({ keyId: "secret-90d" })).toEqual(["secret-90d"]);
    expect(await ids({ keyId: "no-such-key" })).toEqual([]);
  });

  it("never lists deleted keys or keys of the other environment", async () => {
    expect(await ids({ keyId: "deleted-5d" })).toEqual([]);
    expect(await ids({ keyId: "prod-5d" })).toEqual([]);
  });

  it("sorts four ways, Expiring Soon meaning soonest first (D4)", async () => {
    const all = { expiresIn: "all" as const };
    expect(await ids({ ...all, sort: "expiring_soon" })).toEqual([
      "secret-expired",
      "cert-10d",
      "so-15d",
      "secret-30d",
      "cert-50d",
      "secret-90d",
    ]);
    expect(await ids({ ...all, sort: "expiring_last" })).toEqual([
      "secret-90d",
      "cert-50d",
      "secret-30d",
      "so-15d",
      "cert-10d",
      "secret-expired",
    ]);
    expect(await ids({ ...all, sort: "created_newest" })).toEqual([
      "so-15d",
      "cert-50d",
      "secret-90d",
      "secret-30d",
      "cert-10d",
      "secret-expired",
    ]);
    expect(await ids({ ...all, sort: "created_oldest" })).toEqual([
      "secret-expired",
      "cert-10d",
      "secret-30d",
      "secret-90d",
      "cert-50d",
      "so-15d",
    ]);
  });

  it("paginates in the database and clamps a page past the end", async () => {
    await prisma.key.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        id: `bulk-${String(i).padStart(2, "0")}`,
        type: "SIMPLE_ORDER" as const,
        environment: "TEST" as const,
        orgId: ORG,
        name: "bulk",
        createdAt: NOW,
        expiresAt: new Date(NOW.getTime() + (100 + i) * DAY),
      })),
    });
    const first = await search({ expiresIn: "all", type: "SIMPLE_ORDER", perPage: 25 });
    expect(first).toMatchObject({ total: 61, page: 1, pageCount: 3 });
    expect(first.rows).toHaveLength(25);
    const last = await search({ expiresIn: "all", type: "SIMPLE_ORDER", perPage: 25, page: 3 });
    expect(last.rows.map((r) => r.id)).toEqual(Array.from({ length: 11 }, (_, i) => `bulk-${49 + i}`));
    const beyond = await search({ expiresIn: "all", type: "SIMPLE_ORDER", perPage: 50, page: 99 });
    expect(beyond).toMatchObject({ page: 2, pageCount: 2 });
    expect(beyond.rows).toHaveLength(11);
    await prisma.key.deleteMany({ where: { id: { startsWith: "bulk-" } } });
  });

  it("is scoped to one org: another org's keys never appear", async () => {
    const other = await search({ expiresIn: "all" }, "merchant12378");
    expect(other.rows.every((r) => r.orgId === "merchant12378")).toBe(true);
    expect(other.rows.map((r) => r.id)).not.toContain("cert-10d");
  });
});

describe("search filters from the URL", () => {
  it("fills the guide's defaults", () => {
    expect(parseFilters({}).filters).toMatchObject({
      createdAt: "all",
      expiresIn: "next60",
      status: "all",
      type: "ALL",
      perPage: 25,
      sort: "expiring_soon",
      page: 1,
    });
  });

  it("reports bad typed values next to their fields, and drops unknown list values with a notice, instead of failing", () => {
    const { filters, errors, notices } = parseFilters({
      perPage: "70",
      type: "NOPE",
      expiresIn: "custom",
      expiresStart: "2026-02-30x",
      createdAt: "custom",
      createdStart: "2026-05-02",
      createdEnd: "2026-05-01",
    });
    expect(filters.perPage).toBe(25);
    expect(filters.type).toBe("ALL");
    expect(Object.keys(errors).sort()).toEqual(["createdEnd", "expiresStart"]);
    // Issue 17 §3: a list value no list has is no field error but a notice, and the default is used.
    expect(notices).toEqual([
      'Unknown key type "NOPE" ignored; showing all key types.',
      'Unknown number of records per page "70" ignored; showing 25 records per page.',
    ]);
  });
});
