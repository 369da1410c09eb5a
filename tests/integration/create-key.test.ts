import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { serviceContext, type ServiceContext } from "@/lib/context";
import { createCertificateKey } from "@/lib/keys/certificate-keys";
import { createKey, KEY_NAME_MAX } from "@/lib/keys/create";
import { KEY_CREATORS } from "@/lib/keys/creators";
import { createPgpKey, createSharedSecretKey } from "@/lib/keys/secret-keys";
import { KEY_TYPES } from "@/lib/keys/types";
import { seed, sessionOf } from "../helpers/fixtures";

/**
 * The one creation pipeline (lib/keys/create.ts): permission and the type's extra
 * permission, retirement, custodian, name, the type's creator, insert and audit.
 */

/** The context a Create Key action builds from the session of `email` (less `without`), with `extra`. */
async function contextOf(
  email: string,
  { without = [], ...extra }: { without?: string[] } & Partial<ServiceContext> = {},
): Promise<ServiceContext> {
  const session = await sessionOf(email);
  const permissions = new Set([...session.permissions].filter((p) => !without.includes(p)));
  return { ...serviceContext({ ...session, permissions }, session.actingOrg), ...extra };
}

const keyCount = () => prisma.key.count();

beforeAll(seed);

describe("the key-type registry and its creators", () => {
  it("has a creator for every type with a Create Key form, and for no other", () => {
    const withForm = KEY_TYPES.filter((t) => t.createForm !== "none").map((t) => t.type);
    expect(Object.keys(KEY_CREATORS).sort()).toEqual([...withForm].sort());
  });
});

describe("createKey", () => {
  it("refuses a PGP key to a role without PGP Security Settings before reading it, and writes nothing", async () => {
    const before = await keyCount();
    const ctx = await contextOf("merchant.admin@keycenter.test", { without: ["pgp.settings"] });
    await expect(createPgpKey({ ctx, armoredKey: "not a key" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // With it, the same input gets as far as the creator, which refuses the text itself.
    const allowed = await contextOf("merchant.admin@keycenter.test");
    const refusal = await createPgpKey({ ctx: allowed, armoredKey: "not a key" }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: expect.not.stringMatching(/^FORBIDDEN$/) });
    expect(await keyCount()).toBe(before);
  });

  it("refuses any key to a role without Create keys", async () => {
    const ctx = await contextOf("merchant.admin@keycenter.test", { without: ["keys.create"] });
    await expect(createSharedSecretKey({ ctx })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses a meta key to a role without Manage meta keys", async () => {
    const before = await keyCount();
    const ctx = await contextOf("portfolio.admin@keycenter.test", {
      without: ["keys.meta"],
      meta: { scope: "ALL" },
    });
    await expect(createSharedSecretKey({ ctx })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await keyCount()).toBe(before);
  });

  it("refuses a custodian from another organization beside the custodian field, and writes nothing", async () => {
    const before = await keyCount();
    const stranger = await prisma.user.findUniqueOrThrow({ where: { email: "initech.admin@keycenter.test" } });
    const ctx = await contextOf("merchant.admin@keycenter.test", { custodianId: stranger.id });
    const refusal = await createSharedSecretKey({ ctx }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: "INVALID_INPUT", fields: { custodianId: expect.any(String) } });
    expect(await keyCount()).toBe(before);
  });

  it("names the key's custodian when one is chosen", async () => {
    const viewer = await prisma.user.findUniqueOrThrow({ where: { email: "merchant.viewer@keycenter.test" } });
    const ctx = await contextOf("merchant.admin@keycenter.test", { custodianId: viewer.id });
    const { key } = await createKey("REST_SHARED_SECRET", { ctx, name: "with custodian" });
    expect(key).toMatchObject({ name: "with custodian", custodianId: viewer.id });
  });

  it("refuses a name over KEY_NAME_MAX with the same words for every type", async () => {
    const ctx = await contextOf("merchant.admin@keycenter.test");
    const name = "n".repeat(KEY_NAME_MAX + 1);
    const secret = await createSharedSecretKey({ ctx, name }).catch((e: unknown) => e);
    const p12 = await createCertificateKey({ ctx, type: "SIMPLE_ORDER", password: "Generate-Key-2026", name }).catch(
      (e: unknown) => e,
    );
    expect(secret).toMatchObject({ code: "INVALID_INPUT", fields: { name: expect.stringMatching(/at most 100/) } });
    expect(p12).toEqual(secret);
  });
});
