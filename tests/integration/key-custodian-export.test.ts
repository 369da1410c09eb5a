/**
 * Custodian (B6) and the Key Management export: who created a key and who looks after it,
 * on Key Information and in the CSV; the export holds every page of the search, in its order.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
const { nextRequest } = await import("../helpers/next-request");
import { prisma } from "@/lib/db";
import type { ServiceContext } from "@/lib/context";
import { exportKeysCsv, KEY_CSV_COLUMNS } from "@/lib/keys/export";
import { custodianCandidates, keyPeople, setKeyCustodian } from "@/lib/keys/lifecycle";
import { DEFAULT_FILTERS, searchKeys, type KeySearchFilters } from "@/lib/keys/search";
import { createUser } from "@/prisma/seed";
import { createSharedSecretKey } from "@/lib/keys/secret-keys";
import { seed, signedInHeaders } from "../helpers/fixtures";

const DAY = 86_400_000;
const ORG = "merchant12379";
let ctx: ServiceContext;
const ids: Record<string, string> = {};

async function collect(gen: AsyncGenerator<string>): Promise<string> {
  let out = "";
  for await (const chunk of gen) out += chunk;
  return out;
}

/** Rows of a CSV whose fields hold no quotes, commas or line breaks (true of these fixtures). */
function rows(csv: string): Record<string, string>[] {
  const [head, ...lines] = csv.split("\r\n").filter(Boolean);
  const names = head!.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [names[i]!, v])));
}

describe("custodian and export", () => {
  beforeAll(async () => {
    await seed();
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: ORG } });
    const admin = await prisma.user.findUniqueOrThrow({ where: { email: "account.admin@keycenter.test" } });
    ctx = { actor: { actorId: admin.id, actorEmail: admin.email }, org, environment: "TEST" };
    ids.local = await createUser(
      prisma,
      { email: "keeper@keycenter.test", name: "Keeper", orgId: ORG, roleId: "role_viewer" },
      "Welcome-to-KeyCenter-9",
    );
    ids.disabled = await createUser(
      prisma,
      { email: "gone@keycenter.test", name: "Gone", orgId: ORG, roleId: "role_viewer" },
      "Welcome-to-KeyCenter-9",
    );
    await prisma.user.update({ where: { id: ids.disabled }, data: { disabled: true } });
    ids.sibling = (await prisma.user.findUniqueOrThrow({ where: { email: "merchant.admin@keycenter.test" } })).id;
    ids.portfolio = (await prisma.user.findUniqueOrThrow({ where: { email: "portfolio.admin@keycenter.test" } })).id;
    ids.admin = admin.id;
    // Seven Simple Order keys expiring 5, 15, ... 65 days out, created by the account admin.
    await prisma.key.deleteMany({ where: { orgId: ORG, type: "SIMPLE_ORDER" } });
    for (let i = 1; i <= 7; i++) {
      await prisma.key.create({
        data: {
          id: `export-${i}`,
          type: "SIMPLE_ORDER",
          environment: "TEST",
          orgId: ORG,
          name: `Export key ${i}`,
          expiresAt: new Date(Date.now() + (i * 10 - 5) * DAY),
          createdById: admin.id,
        },
      });
    }
  });

  it("offers enabled users of the org and of the orgs above it, never a sibling's or a disabled one", async () => {
    const emails = (await custodianCandidates(ctx.org)).map((u) => u.email);
    expect(emails).toContain("keeper@keycenter.test");
    expect(emails).toContain("account.admin@keycenter.test");
    expect(emails).toContain("portfolio.admin@keycenter.test");
    expect(emails).not.toContain("gone@keycenter.test");
    expect(emails).not.toContain("merchant.admin@keycenter.test");
  });

  it("names a custodian, audited, shown with the creator; clearing it leaves none", async () => {
    expect(await keyPeople({ createdById: ids.admin!, custodianId: null })).toEqual({
      createdBy: "account.admin@keycenter.test",
      custodian: null,
    });
    await setKeyCustodian({ ctx, keyId: "export-1", custodianId: ids.local! });
    const key = await prisma.key.findUniqueOrThrow({ where: { id: "export-1" } });
    expect(await keyPeople(key)).toEqual({
      createdBy: "account.admin@keycenter.test",
      custodian: "keeper@keycenter.test",
    });
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "key.custodian", targetId: "export-1" },
      orderBy: { seq: "desc" },
    });
    expect(audit.actorEmail).toBe("account.admin@keycenter.test");
    expect(audit.details).toEqual({ custodian: "keeper@keycenter.test" });

    await setKeyCustodian({ ctx, keyId: "export-2", custodianId: ids.portfolio! });
    await setKeyCustodian({ ctx, keyId: "export-2", custodianId: null });
    expect((await prisma.key.findUniqueOrThrow({ where: { id: "export-2" } })).custodianId).toBeNull();
  });

  it("refuses a disabled user, a user of a sibling org, an unknown ID, and another org's key", async () => {
    for (const custodianId of [ids.disabled!, ids.sibling!, "no-such-user"]) {
      await expect(setKeyCustodian({ ctx, keyId: "export-3", custodianId })).rejects.toMatchObject({
        code: "INVALID_INPUT",
        fields: { custodianId: expect.stringContaining("active user") },
      });
    }
    expect((await prisma.key.findUniqueOrThrow({ where: { id: "export-3" } })).custodianId).toBeNull();
    const other = await prisma.key.create({
      data: {
        id: "export-other",
        type: "PGP",
        environment: "TEST",
        orgId: "merchant12378",
        name: "o",
        expiresAt: new Date(Date.now() + DAY),
      },
    });
    await expect(setKeyCustodian({ ctx, keyId: other.id, custodianId: ids.local! })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("exports every page of the search, in the search's order, with creator and custodian", async () => {
    const filters: KeySearchFilters = {
      ...DEFAULT_FILTERS,
      type: "SIMPLE_ORDER",
      expiresIn: "all",
      perPage: 25,
      page: 1,
    };
    const csv = await collect(exportKeysCsv({ orgId: ORG, environment: "TEST", filters, batchSize: 3 }));
    expect(csv.split("\r\n")[0]).toBe(KEY_CSV_COLUMNS.join(","));
    const out = rows(csv);
    expect(out.map((r) => r["Key ID"])).toEqual([
      "export-1",
      "export-2",
      "export-3",
      "export-4",
      "export-5",
      "export-6",
      "export-7",
    ]);
    expect(out[0]).toMatchObject({
      "Key Type": "Simple Order API",
      Merchant: ORG,
      Environment: "Test",
      Status: "Active",
      "Created By": "account.admin@keycenter.test",
      Custodian: "keeper@keycenter.test",
      "Meta Key": "No",
    });
    expect(out[1]!.Custodian).toBe("");

    // The same rows the paginated search shows, page after page, for another sort order.
    const newest: KeySearchFilters = { ...filters, sort: "expiring_last" };
    const exported = rows(
      await collect(exportKeysCsv({ orgId: ORG, environment: "TEST", filters: newest, batchSize: 2 })),
    );
    const page1 = await searchKeys({ orgId: ORG, environment: "TEST", filters: { ...newest, perPage: 25 } });
    expect(exported.map((r) => r["Key ID"])).toEqual(page1.rows.map((r) => r.id));
    expect(exported.map((r) => r["Key ID"])[0]).toBe("export-7");
  });

  it("leaves out what the filters leave out: deleted keys and keys expiring beyond the window", async () => {
    await prisma.key.update({ where: { id: "export-4" }, data: { deletedAt: new Date() } });
    const filters: KeySearchFilters = { ...DEFAULT_FILTERS, type: "SIMPLE_ORDER", expiresIn: "next30", page: 1 };
    const out = rows(await collect(exportKeysCsv({ orgId: ORG, environment: "TEST", filters })));
    expect(out.map((r) => r["Key ID"])).toEqual(["export-1", "export-2", "export-3"]);
    const all = rows(
      await collect(exportKeysCsv({ orgId: ORG, environment: "TEST", filters: { ...filters, expiresIn: "all" } })),
    );
    expect(all.map((r) => r["Key ID"])).not.toContain("export-4");
  });
  it("a key created with a custodian records it; a wrong custodian on a Create Key form creates nothing", async () => {
    const { key } = await createSharedSecretKey({ ctx: { ...ctx, custodianId: ids.local! } });
    expect(await keyPeople(key)).toEqual({
      createdBy: "account.admin@keycenter.test",
      custodian: "keeper@keycenter.test",
    });

    const { createPublicKeyAction } = await import("@/lib/actions/keys/create-public-key");
    const { createSecureAcceptanceAction } = await import("@/lib/actions/keys/create-secure-acceptance-key");
    nextRequest.headers = await signedInHeaders("merchant.admin@keycenter.test");
    const secureAcceptanceWith = (custodianId: string) =>
      createSecureAcceptanceAction({
        name: "With a custodian",
        signatureVersion: "1",
        signatureMethod: "HMAC-SHA256",
        securityProfileId: "PRF-12378-WEB",
        custodianId,
      });
    const before = await prisma.key.count({ where: { orgId: "merchant12378" } });
    // A user of a sibling MID may not look after merchant12378's keys: the field says so.
    const sibling = await prisma.user.findUniqueOrThrow({ where: { email: "keeper@keycenter.test" } });
    const refused = await secureAcceptanceWith(sibling.id);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT", fields: { custodianId: expect.any(String) } },
    });
    expect(await prisma.key.count({ where: { orgId: "merchant12378" } })).toBe(before);

    const admin = await prisma.user.findUniqueOrThrow({ where: { email: "merchant.admin@keycenter.test" } });
    const created = await secureAcceptanceWith(admin.id);
    expect(created.ok).toBe(true);
    const keyId = created.ok ? created.data.keyId : "";
    expect((await prisma.key.findUniqueOrThrow({ where: { id: keyId } })).custodianId).toBe(admin.id);
    // "" is "No custodian".
    const none = await createPublicKeyAction({ type: "TOKEN_MANAGEMENT_MLE", publicKey: "not a key", custodianId: "" });
    expect(none).toMatchObject({ ok: false, error: { fields: { publicKey: expect.any(String) } } });
  });
});
