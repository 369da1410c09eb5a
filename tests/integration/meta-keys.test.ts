import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { ServiceContext } from "@/lib/context";
import { editMetaKey, MetaEditSchema, metaCoverage, metaKeysCovering } from "@/lib/keys/meta";
import { MetaRequestSchema } from "@/lib/keys/meta-request";
import { keyProblem, loadKey } from "@/lib/gateway/keys";
import { createSharedSecretKey } from "@/lib/keys/secret-keys";
import { createCertificateKey } from "@/lib/keys/certificate-keys";
import { createOrg } from "@/prisma/seed";
import { seed } from "../helpers/fixtures";

const org = (id: string) => prisma.organization.findUniqueOrThrow({ where: { id } });
async function ctxFor(orgId: string, extra: Partial<ServiceContext> = {}): Promise<ServiceContext> {
  return {
    actor: { actorId: "u", actorEmail: "admin@keycenter.test" },
    org: await org(orgId),
    environment: "TEST",
    ...extra,
  };
}
/** The gateway's own rule: may this key act for transacting MID `mid`? */
const covers = async (keyId: string, mid: string) => {
  const row = await loadKey(keyId, mid);
  return row !== null && keyProblem(row, mid, "TEST", new Date()) === null;
};

describe("meta keys", () => {
  beforeAll(seed);

  it("a portfolio meta key for All current and future MIDs covers every MID below it, including later ones", async () => {
    const { key } = await createSharedSecretKey({ ctx: await ctxFor("portfolioabc", { meta: { scope: "ALL" } }) });
    expect((await prisma.key.findUniqueOrThrow({ where: { id: key.id } })).metaScope).toBe("ALL");
    expect(await prisma.metaKeyAssignment.count({ where: { keyId: key.id } })).toBe(0); // a flag, not rows
    for (const mid of ["merchant12378", "merchant45601", "merchant78901"]) expect(await covers(key.id, mid)).toBe(true);
    expect(await covers(key.id, "initech01")).toBe(false);
    expect(await covers(key.id, "acme_acct")).toBe(false); // never an _acct ID
    await createOrg(prisma, { id: "merchant_later_1", name: "Later", type: "MERCHANT", parent: "globex_acct" });
    expect(await covers(key.id, "merchant_later_1")).toBe(true);
  });

  it("an account meta key with All covers only that account's MIDs", async () => {
    const { key } = await createSharedSecretKey({ ctx: await ctxFor("acme_acct", { meta: { scope: "ALL" } }) });
    expect(await covers(key.id, "merchant12378")).toBe(true);
    expect(await covers(key.id, "merchant45601")).toBe(false);
    expect(await covers(key.id, "merchant78901")).toBe(false);
    const coverage = await metaCoverage(key, await org("acme_acct"));
    expect(coverage).toEqual({ all: true, count: 3, text: "3 MIDs" });
  });

  it("a custom selection covers exactly the chosen MIDs and is not extended to later ones", async () => {
    const { key } = await createSharedSecretKey({
      ctx: await ctxFor("portfolioabc", {
        meta: { scope: "CUSTOM", mids: ["merchant12378", "merchant45602", "initech01", "acme_acct"] },
      }),
    });
    const rows = await prisma.metaKeyAssignment.findMany({ where: { keyId: key.id }, orderBy: { mid: "asc" } });
    expect(rows.map((r) => r.mid)).toEqual(["merchant12378", "merchant45602"]); // others' and _acct IDs dropped
    await createOrg(prisma, { id: "merchant_later_2", name: "Later 2", type: "MERCHANT", parent: "acme_acct" });
    expect(await covers(key.id, "merchant_later_2")).toBe(false);
    expect(await covers(key.id, "merchant12378")).toBe(true);
    const covering = await metaKeysCovering(await org("merchant12378"));
    expect(covering.map((k) => k.id)).toContain(key.id);
  });

  it("select all matching a filter assigns every matching MID, resolved in the database", async () => {
    const { key } = await createSharedSecretKey({
      ctx: await ctxFor("portfolioabc", { meta: { scope: "CUSTOM", mids: [], allMatching: { name: "globex" } } }),
    });
    const rows = await prisma.metaKeyAssignment.findMany({ where: { keyId: key.id }, orderBy: { mid: "asc" } });
    expect(rows.map((r) => r.mid)).toEqual(["merchant45601", "merchant45602"]);
  });

  it("transacting MIDs can never create a meta key, and nothing is left behind", async () => {
    const before = await prisma.key.count();
    await expect(
      createSharedSecretKey({ ctx: await ctxFor("merchant12378", { meta: { scope: "ALL" } }) }),
    ).rejects.toMatchObject({ code: "META_NOT_ALLOWED" });
    expect(await prisma.key.count()).toBe(before);
  });

  it("refuses meta creation while the feature is off, and the key stops covering MIDs", async () => {
    const { key } = await createCertificateKey({
      ctx: await ctxFor("globex_acct", { meta: { scope: "ALL" } }),
      type: "SIMPLE_ORDER",
      password: "Correct-Horse-42",
    });
    expect(await covers(key.id, "merchant45601")).toBe(true);
    await prisma.orgSettings.update({ where: { orgId: "globex_acct" }, data: { metaKeysEnabled: false } });
    await expect(
      createSharedSecretKey({ ctx: await ctxFor("globex_acct", { meta: { scope: "ALL" } }) }),
    ).rejects.toMatchObject({ code: "META_DISABLED" });
    expect(await covers(key.id, "merchant45601")).toBe(false);
    await prisma.orgSettings.update({ where: { orgId: "globex_acct" }, data: { metaKeysEnabled: true } });
  });

  it("Edit Key: remove from All makes a regular key (not deleted); convert back; add and remove MIDs", async () => {
    const ctx = await ctxFor("portfolioabc");
    const { key } = await createSharedSecretKey({ ctx: { ...ctx, meta: { scope: "ALL" } } });
    await editMetaKey({ ctx, keyId: key.id, edit: { meta: false } });
    const regular = await prisma.key.findUniqueOrThrow({ where: { id: key.id } });
    expect(regular.metaScope).toBeNull();
    expect(regular.deletedAt).toBeNull();
    await editMetaKey({
      ctx,
      keyId: key.id,
      edit: { meta: true, scope: "CUSTOM", add: ["merchant12378", "merchant12379"], remove: [] },
    });
    await editMetaKey({
      ctx,
      keyId: key.id,
      edit: { meta: true, scope: "CUSTOM", add: [], remove: ["merchant12379"] },
    });
    expect((await prisma.metaKeyAssignment.findMany({ where: { keyId: key.id } })).map((r) => r.mid)).toEqual([
      "merchant12378",
    ]);
    await expect(
      editMetaKey({ ctx, keyId: key.id, edit: { meta: true, scope: "CUSTOM", add: [], remove: ["merchant12378"] } }),
    ).rejects.toMatchObject({ code: "NO_MIDS" });
    const audits = await prisma.auditEvent.findMany({ where: { action: "key.meta.update", targetId: key.id } });
    expect(audits).toHaveLength(3);
  });

  it("reads every Edit Key submission shape and refuses others", () => {
    expect(MetaEditSchema.parse({ meta: false })).toEqual({ meta: false });
    expect(MetaEditSchema.parse({ meta: true, scope: "ALL" })).toEqual({ meta: true, scope: "ALL" });
    expect(MetaEditSchema.parse({ meta: true, scope: "CUSTOM", add: ["m1"] })).toMatchObject({
      add: ["m1"],
      remove: [],
    });
    expect(MetaEditSchema.safeParse({ meta: true, scope: "SOME" }).success).toBe(false);
    expect(MetaRequestSchema.parse({ scope: "CUSTOM", allMatching: { name: "x" } })).toMatchObject({ mids: [] });
  });

  it("two concurrent edits of one selection lose nothing", async () => {
    const ctx = await ctxFor("portfolioabc");
    const { key } = await createSharedSecretKey({
      ctx: { ...ctx, meta: { scope: "CUSTOM", mids: ["merchant12378"] } },
    });
    await Promise.all([
      editMetaKey({ ctx, keyId: key.id, edit: { meta: true, scope: "CUSTOM", add: ["merchant12379"], remove: [] } }),
      editMetaKey({ ctx, keyId: key.id, edit: { meta: true, scope: "CUSTOM", add: ["merchant45601"], remove: [] } }),
    ]);
    const mids = (await prisma.metaKeyAssignment.findMany({ where: { keyId: key.id }, orderBy: { mid: "asc" } })).map(
      (r) => r.mid,
    );
    expect(mids).toEqual(["merchant12378", "merchant12379", "merchant45601"]);
  });

  it("regenerate: a new key of the same type with the same scope and MIDs, linked; the original stays active", async () => {
    const ctx = await ctxFor("portfolioabc");
    const { key: original } = await createSharedSecretKey({
      ctx: { ...ctx, meta: { scope: "CUSTOM", mids: ["merchant12378", "merchant45602"] } },
    });
    const { key: fresh, secret } = await createSharedSecretKey({ ctx: { ...ctx, regenerateFrom: original.id } });
    expect(secret).toBeTruthy();
    const row = await prisma.key.findUniqueOrThrow({ where: { id: fresh.id }, include: { regeneratedFrom: true } });
    expect(row.metaScope).toBe("CUSTOM");
    expect(row.regeneratedFromId).toBe(original.id);
    const mids = (await prisma.metaKeyAssignment.findMany({ where: { keyId: fresh.id }, orderBy: { mid: "asc" } })).map(
      (r) => r.mid,
    );
    expect(mids).toEqual(["merchant12378", "merchant45602"]);
    const stillActive = await prisma.key.findUniqueOrThrow({ where: { id: original.id } });
    expect(stillActive.deactivatedAt).toBeNull();
    expect(stillActive.deletedAt).toBeNull();
  });
});
