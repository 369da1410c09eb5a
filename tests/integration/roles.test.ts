import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createRole, deleteRole, getRole, listRoles, updateRole, type RoleServiceContext } from "@/lib/auth/roles";
import { ALL_PERMISSIONS } from "@/lib/auth/permissions";
import { seed } from "../helpers/fixtures";

const portfolio = { id: "portfolioabc", type: "PORTFOLIO", portfolioId: null, accountId: null } as const;
const initech = { id: "initech_portfolio", type: "PORTFOLIO", portfolioId: null, accountId: null } as const;
const actor = {
  actorId: "u_test",
  actorEmail: "portfolio.admin@keycenter.test",
  ip: "203.0.113.5",
  userAgent: "vitest",
};
/** An Administrator's context: every permission held. */
const ctx: RoleServiceContext = { actor, org: portfolio, permissions: new Set(ALL_PERMISSIONS) };

async function expectAppError(p: Promise<unknown>, code: string) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  return e as AppError;
}

beforeAll(seed);

describe("roles", () => {
  it("lists the built-in roles with the users of the org and below who hold them", async () => {
    const roles = await listRoles({ org: portfolio });
    const admin = roles.find((r) => r.name === "Administrator")!;
    expect(admin.builtIn).toBe(true);
    // portfolio.admin, account.admin, merchant.admin; not initech.admin (another portfolio).
    expect(admin.userCount).toBe(3);
    expect(roles.find((r) => r.name === "Viewer")!.userCount).toBe(1);
  });

  it("creates a custom role with known permissions only and records who and what", async () => {
    const role = await createRole({
      ctx,
      input: {
        name: "PGP operators",
        description: "Account Updater files",
        permissions: ["reports.download", "ccau.viewStatus", "pgp.settings"],
      },
    });
    expect(role.orgId).toBe("portfolioabc");
    expect(role.permissions).toEqual(["ccau.viewStatus", "pgp.settings", "reports.download"]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "role.create", targetId: role.id } });
    expect(audit).toMatchObject({ orgId: "portfolioabc", actorEmail: actor.actorEmail, ip: "203.0.113.5" });
    expect(audit.details).toEqual({
      name: "PGP operators",
      added: ["ccau.viewStatus", "pgp.settings", "reports.download"],
      removed: [],
    });
    expect((await listRoles({ org: portfolio })).map((r) => r.name)).toContain("PGP operators");
  });

  it("refuses a second role with the same name, or a built-in role's name", async () => {
    await createRole({ ctx, input: { name: "Duplicated", description: "", permissions: [] } });
    const e = await expectAppError(
      createRole({ ctx, input: { name: "Duplicated", description: "", permissions: [] } }),
      "NAME_TAKEN",
    );
    expect(e.fields?.name).toMatch(/already exists/);
    await expectAppError(
      createRole({ ctx, input: { name: "administrator", description: "", permissions: [] } }),
      "NAME_TAKEN",
    );
  });

  it("edits a custom role and records the permissions added and removed", async () => {
    const role = await createRole({
      ctx,
      input: { name: "Editable", description: "", permissions: ["keys.view", "keys.create"] },
    });
    await updateRole({
      ctx,
      roleId: role.id,
      input: { name: "Edited", description: "now with reports", permissions: ["keys.view", "reports.download"] },
    });
    const after = await getRole({ org: portfolio, roleId: role.id });
    expect(after).toMatchObject({ name: "Edited", description: "now with reports" });
    expect(after!.permissions).toEqual(["keys.view", "reports.download"]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "role.update", targetId: role.id } });
    expect(audit.details).toEqual({
      name: "Edited",
      previousName: "Editable",
      added: ["reports.download"],
      removed: ["keys.create"],
    });
  });

  it("keeps built-in roles read-only: no edit, no delete", async () => {
    await expectAppError(
      updateRole({ ctx, roleId: "role_viewer", input: { name: "Viewer", description: "", permissions: [] } }),
      "BUILT_IN",
    );
    await expectAppError(deleteRole({ ctx, roleId: "role_administrator" }), "BUILT_IN");
    const viewer = await prisma.role.findUniqueOrThrow({ where: { id: "role_viewer" } });
    expect(viewer.permissions).toEqual(["keys.view", "transactions.view"]);
  });

  it("refuses to delete a role in use, and deletes it once nobody holds it", async () => {
    const role = await createRole({ ctx, input: { name: "In use", description: "", permissions: ["keys.view"] } });
    const viewer = await prisma.user.findUniqueOrThrow({ where: { email: "merchant.viewer@keycenter.test" } });
    await prisma.user.update({ where: { id: viewer.id }, data: { roleId: role.id } });
    const e = await expectAppError(deleteRole({ ctx, roleId: role.id }), "IN_USE");
    expect(e.userMessage).toMatch(/assigned to 1 user/);
    expect(await prisma.auditEvent.count({ where: { action: "role.delete", targetId: role.id } })).toBe(0);

    await prisma.user.update({ where: { id: viewer.id }, data: { roleId: "role_viewer" } });
    await deleteRole({ ctx, roleId: role.id });
    expect(await prisma.role.findUnique({ where: { id: role.id } })).toBeNull();
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "role.delete", targetId: role.id } });
    expect(audit.details).toMatchObject({ name: "In use", removed: ["keys.view"] });
  });

  it("never shows, edits or deletes another org's custom role", async () => {
    const theirs = await createRole({
      ctx: { actor, org: initech, permissions: new Set(ALL_PERMISSIONS) },
      input: { name: "Initech only", description: "", permissions: ["keys.view"] },
    });
    expect((await listRoles({ org: portfolio })).map((r) => r.id)).not.toContain(theirs.id);
    expect(await getRole({ org: portfolio, roleId: theirs.id })).toBeNull();
    await expectAppError(
      updateRole({ ctx, roleId: theirs.id, input: { name: "Mine now", description: "", permissions: [] } }),
      "NOT_FOUND",
    );
    await expectAppError(deleteRole({ ctx, roleId: theirs.id }), "NOT_FOUND");
    expect(await prisma.role.findUnique({ where: { id: theirs.id } })).not.toBeNull();
  });
});
