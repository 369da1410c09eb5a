import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { ALL_PERMISSIONS } from "@/lib/auth/permissions";
import { createPortalUser, type UserServiceContext } from "@/lib/auth/users";
import { seed } from "../helpers/fixtures";

const ctx: UserServiceContext = {
  actor: { actorId: "u_test", actorEmail: "merchant.admin@keycenter.test" },
  userOrg: { id: "merchant12378", type: "MERCHANT", portfolioId: "portfolioabc", accountId: "acme_acct" },
  permissions: new Set(ALL_PERMISSIONS),
};

beforeAll(seed);

describe("users", () => {
  it("Create user writes the person and the audit record together: no person without the record", async () => {
    // The audit write fails (as a full disk or a lost connection would) for this one email.
    await prisma.$executeRawUnsafe(`
      CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.details->>'email' = 'unaudited@keycenter.test' THEN RAISE EXCEPTION 'audit unavailable'; END IF;
        RETURN NEW;
      END $$`);
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
    );
    const input = { ctx, name: "U", orgId: "merchant12378", roleId: "role_viewer" };
    await expect(createPortalUser({ ...input, email: "unaudited@keycenter.test" })).rejects.toThrow();
    expect(await prisma.user.findUnique({ where: { email: "unaudited@keycenter.test" } })).toBeNull();

    const { id } = await createPortalUser({ ...input, email: "audited@keycenter.test" });
    const record = await prisma.auditEvent.findFirstOrThrow({ where: { action: "user.create", targetId: id } });
    expect(record.details).toMatchObject({ email: "audited@keycenter.test", role: "Viewer" });
  });
});
