import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { KeyType } from "@/lib/generated/prisma/enums";
import { serviceContext, type ServiceContext } from "@/lib/context";
import { deactivateKey, deleteKey, getKeyInformation } from "@/lib/keys/lifecycle";
import { keyStatus } from "@/lib/keys/status";
import { KEY_TYPES } from "@/lib/keys/types";
import { seed, sessionOf } from "../helpers/fixtures";

const DAY = 86_400_000;
let ctx: ServiceContext;

async function makeKey(id: string, type: KeyType, orgId = "merchant12378", expiresInDays = 100) {
  return prisma.key.create({
    data: { id, type, environment: "TEST", orgId, name: id, expiresAt: new Date(Date.now() + expiresInDays * DAY) },
  });
}

describe("deactivate and delete", () => {
  beforeAll(async () => {
    await seed();
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: "merchant12378" } });
    ctx = { actor: { actorId: "u1", actorEmail: "merchant.admin@keycenter.test" }, org, environment: "TEST" };
  });

  it.each(KEY_TYPES.filter((t) => t.deactivatable).map((t) => t.type))(
    "deactivates a %s key, audited",
    async (type) => {
      const key = await makeKey(`deact-${type}`, type);
      const updated = await deactivateKey({ ctx, keyId: key.id });
      expect(keyStatus(updated)).toBe("Inactive");
      const audit = await prisma.auditEvent.findFirst({ where: { action: "key.deactivate", targetId: key.id } });
      expect(audit?.actorEmail).toBe("merchant.admin@keycenter.test");
    },
  );

  it.each(KEY_TYPES.filter((t) => !t.deactivatable).map((t) => t.type))(
    "refuses to deactivate a %s key and changes nothing",
    async (type) => {
      const key = await makeKey(`nodeact-${type}`, type);
      await expect(deactivateKey({ ctx, keyId: key.id })).rejects.toMatchObject({ code: "NOT_DEACTIVATABLE" });
      expect((await prisma.key.findUniqueOrThrow({ where: { id: key.id } })).deactivatedAt).toBeNull();
      expect(await prisma.auditEvent.count({ where: { targetId: key.id } })).toBe(0);
    },
  );

  it("refuses to deactivate a key that already is inactive (expired)", async () => {
    const key = await makeKey("expired-pgp", "PGP", "merchant12378", -1);
    await expect(deactivateKey({ ctx, keyId: key.id })).rejects.toMatchObject({ code: "ALREADY_INACTIVE" });
  });

  it("treats another org's key as not found, for deactivate and delete", async () => {
    const key = await makeKey("other-org-pgp", "PGP", "merchant12379");
    await expect(deactivateKey({ ctx, keyId: key.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteKey({ ctx, keyId: key.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await prisma.key.findUniqueOrThrow({ where: { id: key.id } })).deletedAt).toBeNull();
  });

  it("deletes any key: gone from Key Information, audited, and a second delete is refused", async () => {
    const key = await makeKey("to-delete", "REST_CERTIFICATE");
    await deleteKey({ ctx, keyId: key.id });
    expect(await getKeyInformation(key.id)).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "key.delete", targetId: key.id } })).toBe(1);
    await expect(deleteKey({ ctx, keyId: key.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lets only one of two concurrent deactivations win", async () => {
    const key = await makeKey("race-sa", "SECURE_ACCEPTANCE");
    const results = await Promise.allSettled([
      deactivateKey({ ctx, keyId: key.id }),
      deactivateKey({ ctx, keyId: key.id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await prisma.auditEvent.count({ where: { action: "key.deactivate", targetId: key.id } })).toBe(1);
  });

  it("shows a key's history on Key Information", async () => {
    const key = await makeKey("with-history", "PGP");
    await deactivateKey({ ctx, keyId: key.id });
    const info = await getKeyInformation(key.id);
    expect(info?.history.map((h) => h.action)).toEqual(["key.deactivate"]);
  });
});

describe("PGP Security Settings on deactivate and delete (the registry's extra permission)", () => {
  /** The context the Deactivate and Delete actions build: serviceContext(session, key owner). */
  async function contextOf(without: string[] = []): Promise<ServiceContext> {
    const session = await sessionOf("merchant.admin@keycenter.test");
    expect(session.permissions.has("pgp.settings")).toBe(true);
    const permissions = new Set([...session.permissions].filter((p) => !without.includes(p)));
    return serviceContext({ ...session, permissions }, session.actingOrg);
  }

  it("refuses to delete or deactivate a PGP key for a role without PGP Security Settings, and changes nothing", async () => {
    const ctx = await contextOf(["pgp.settings"]);
    const key = await makeKey("pgp-no-settings", "PGP");
    await expect(deleteKey({ ctx, keyId: key.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(deactivateKey({ ctx, keyId: key.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const after = await prisma.key.findUniqueOrThrow({ where: { id: key.id } });
    expect({ deletedAt: after.deletedAt, deactivatedAt: after.deactivatedAt }).toEqual({
      deletedAt: null,
      deactivatedAt: null,
    });
    expect(await prisma.auditEvent.count({ where: { targetId: key.id } })).toBe(0);
  });

  it("deletes other keys without it, and a PGP key with it", async () => {
    const withoutPgp = await contextOf(["pgp.settings"]);
    const mle = await makeKey("mle-no-pgp-settings", "TOKEN_MANAGEMENT_MLE");
    await deleteKey({ ctx: withoutPgp, keyId: mle.id });
    expect(await getKeyInformation(mle.id)).toBeNull();
    const pgp = await makeKey("pgp-with-settings", "PGP");
    await deleteKey({ ctx: await contextOf(), keyId: pgp.id });
    expect(await getKeyInformation(pgp.id)).toBeNull();
  });

  it("refuses delete to a role without Delete keys, whatever the type", async () => {
    const key = await makeKey("no-delete-permission", "REST_CERTIFICATE");
    await expect(deleteKey({ ctx: await contextOf(["keys.delete"]), keyId: key.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await prisma.key.findUniqueOrThrow({ where: { id: key.id } })).deletedAt).toBeNull();
  });
});
