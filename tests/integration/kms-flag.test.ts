/**
 * "Key Management API" on Create Key (issue 15): the Create Key actions of REST – Shared Secret
 * and REST – Certificate carry the checkbox to createKey; off by default; audited; refused for
 * other types by the pipeline.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
const { nextRequest } = await import("../helpers/next-request");
const { prisma } = await import("@/lib/db");
const { seed, signedInHeaders } = await import("../helpers/fixtures");
const { createSharedSecretAction } = await import("@/lib/actions/keys/create-shared-secret-key");
const { createP12KeyAction } = await import("@/lib/actions/keys/create-p12-key");
const { createKey } = await import("@/lib/keys/create");

describe("Create Key: Key Management API", () => {
  beforeAll(async () => {
    await seed();
    nextRequest.headers = await signedInHeaders("merchant.admin@keycenter.test");
  });

  it("is off by default, on when checked (the checkbox's 'on'), and audited", async () => {
    const off = await createSharedSecretAction({});
    const on = await createSharedSecretAction({ kmsApi: "on" });
    expect(off.ok && on.ok).toBe(true);
    if (!off.ok || !on.ok) return;
    expect((await prisma.key.findUniqueOrThrow({ where: { id: off.data.keyId } })).kmsApi).toBe(false);
    expect((await prisma.key.findUniqueOrThrow({ where: { id: on.data.keyId } })).kmsApi).toBe(true);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { targetId: on.data.keyId, action: "key.create" },
    });
    expect(audit.details).toMatchObject({ kmsApi: true });
  });

  it("REST – Certificate (.p12) carries it; Simple Order ignores it; other types are refused by the pipeline", async () => {
    const fd = (type: string) => {
      const d = new FormData();
      d.set("type", type);
      d.set("password", "Kms-Api-Pass-1!");
      d.set("confirmPassword", "Kms-Api-Pass-1!");
      d.set("kmsApi", "on");
      return d;
    };
    const rest = await createP12KeyAction(fd("REST_CERTIFICATE"));
    const so = await createP12KeyAction(fd("SIMPLE_ORDER"));
    expect(rest.ok && so.ok).toBe(true);
    if (!rest.ok || !so.ok) return;
    expect((await prisma.key.findUniqueOrThrow({ where: { id: rest.data.keyId } })).kmsApi).toBe(true);
    expect((await prisma.key.findUniqueOrThrow({ where: { id: so.data.keyId } })).kmsApi).toBe(false);
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: "merchant12378" } });
    await expect(
      createKey("SIMPLE_ORDER", {
        ctx: { actor: { actorId: "t", actorEmail: "t@keycenter.test" }, org, environment: "TEST" },
        password: "Kms-Api-Pass-1!",
        kmsApi: true,
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
