/**
 * Regenerate meta key through the portal's action (Key Information and Search Results call it
 * from their confirmation window): the new key is made in the original's org (a portfolio user
 * regenerates an account's meta key there), a meta key is regenerated once (the second attempt
 * is a plain refusal naming its successor), and only people who may manage meta keys and
 * create keys in that org may do it.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
const { nextRequest } = await import("../helpers/next-request");
const { prisma } = await import("@/lib/db");
const { seed, serviceContext, signedInHeaders } = await import("../helpers/fixtures");
const { createSharedSecretAction } = await import("@/lib/actions/keys/create-shared-secret-key");
const { createSharedSecretKey } = await import("@/lib/keys/secret-keys");

describe("Regenerate meta key (the portal's action)", () => {
  let accountMeta: string;

  beforeAll(async () => {
    await seed();
    // A meta key of acme_acct (an account below portfolioabc), for two of its MIDs.
    const ctx = await serviceContext("acme_acct", {
      meta: { scope: "CUSTOM", mids: ["merchant12378", "merchant12379"] },
    });
    accountMeta = (await createSharedSecretKey({ ctx })).key.id;
  });

  it("a portfolio user regenerates an account's meta key: the new key belongs to the account, same MIDs", async () => {
    nextRequest.headers = await signedInHeaders("portfolio.admin@keycenter.test");
    const r = await createSharedSecretAction({ regenerateFrom: accountMeta });
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    const fresh = await prisma.key.findUniqueOrThrow({ where: { id: r.data.keyId }, include: { assignments: true } });
    expect(fresh.orgId).toBe("acme_acct");
    expect(fresh.regeneratedFromId).toBe(accountMeta);
    expect(fresh.assignments.map((a) => a.mid).sort()).toEqual(["merchant12378", "merchant12379"]);
    expect(r.data.secret).toBeTruthy();
  });

  it("a meta key is regenerated once: the second attempt is refused and names its successor", async () => {
    nextRequest.headers = await signedInHeaders("account.admin@keycenter.test");
    const successor = await prisma.key.findUniqueOrThrow({ where: { regeneratedFromId: accountMeta } });
    const before = await prisma.key.count();
    const again = await createSharedSecretAction({ regenerateFrom: accountMeta });
    expect(again).toMatchObject({
      ok: false,
      error: { code: "CONFLICT", message: `Meta key ${accountMeta} was already regenerated as ${successor.id}.` },
    });
    expect(await prisma.key.count()).toBe(before);
  });

  it("a merchant user may not regenerate a meta key above them; an unknown key is not found", async () => {
    const ctx = await serviceContext("portfolioabc", { meta: { scope: "ALL" } });
    const portfolioMeta = (await createSharedSecretKey({ ctx })).key.id;
    nextRequest.headers = await signedInHeaders("merchant.admin@keycenter.test");
    const refused = await createSharedSecretAction({ regenerateFrom: portfolioMeta });
    expect(refused.ok).toBe(false);
    expect(await prisma.key.count({ where: { regeneratedFromId: portfolioMeta } })).toBe(0);
    nextRequest.headers = await signedInHeaders("portfolio.admin@keycenter.test");
    expect(await createSharedSecretAction({ regenerateFrom: "no-such-key" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
  });
});
