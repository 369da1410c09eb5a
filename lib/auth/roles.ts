import { actorOf } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { orgColumnWithin } from "@/lib/orgs/scope";
import { EDIT_ROLE_REFUSED, GRANT_REFUSED, holdsAll } from "./grants";
import { ALL_PERMISSIONS, BUILT_IN_ROLES, type Permission } from "./permissions";
import type { PortalSession } from "./session";

/**
 * Roles (Account Management > Roles, Edit User Role). An org sees the built-in roles
 * (orgId null, read-only) and its own custom roles. Services take one object argument,
 * write the change and its audit record in one transaction, and throw AppError for
 * expected failures.
 */
export interface RoleServiceContext {
  actor: AuditActor & { actorId: string; actorEmail: string };
  /** The org whose custom roles are managed: the caller's own org. */
  org: OrgRef;
  /** What the caller holds: a saved role may hold no more (lib/auth/grants.ts). */
  permissions: ReadonlySet<Permission>;
}

/** The context of a role service called by `session` for `org` (custom roles: the caller's own org). */
export function roleContext(session: PortalSession, org: OrgRef): RoleServiceContext {
  return {
    actor: actorOf(session),
    org,
    permissions: session.permissions,
  };
}

export interface RoleSummary {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  permissions: Permission[];
  /** People in `org` and the orgs below it who hold the role. */
  userCount: number;
}

export interface RoleInput {
  name: string;
  description: string;
  permissions: Permission[];
}

const BUILT_IN_NAMES = new Set(BUILT_IN_ROLES.map((r) => r.name.toLowerCase()));

/** Known permissions only, in PERMISSION_GROUPS order, without repeats. */
function normalize(permissions: readonly string[]): Permission[] {
  const wanted = new Set(permissions);
  return ALL_PERMISSIONS.filter((p) => wanted.has(p));
}

function visibleTo(org: OrgRef): Prisma.RoleWhereInput {
  return { OR: [{ builtIn: true, orgId: null }, { orgId: org.id }] };
}

export async function listRoles({ org }: { org: OrgRef }): Promise<RoleSummary[]> {
  const roles = await prisma.role.findMany({
    where: visibleTo(org),
    orderBy: [{ builtIn: "desc" }, { name: "asc" }],
  });
  // People per role within `org`: each person's org checked by primary key (lib/orgs/scope.ts),
  // never a list of the orgs below a portfolio.
  const counts = await prisma.$queryRaw<{ roleId: string; n: bigint }[]>`
    SELECT u."roleId", count(*) AS n FROM "users" u
    WHERE u."roleId" = ANY(${roles.map((r) => r.id)}::text[]) AND ${orgColumnWithin(org, Prisma.raw(`u."orgId"`))}
    GROUP BY u."roleId"`;
  const countOf = new Map(counts.map((c) => [c.roleId, Number(c.n)]));
  return roles.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    builtIn: r.builtIn,
    permissions: normalize(r.permissions),
    userCount: countOf.get(r.id) ?? 0,
  }));
}

/** A role the org may see, or null (unknown, or another org's). */
export async function getRole({ org, roleId }: { org: OrgRef; roleId: string }) {
  const role = await prisma.role.findFirst({ where: { AND: [{ id: roleId }, visibleTo(org)] } });
  return role ? { ...role, permissions: normalize(role.permissions) } : null;
}

function checkName(name: string) {
  if (BUILT_IN_NAMES.has(name.trim().toLowerCase())) {
    throw new AppError("NAME_TAKEN", "A built-in role has this name.", { name: "A built-in role has this name." });
  }
}

function isUniqueViolation(e: unknown) {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";
}

const nameTaken = () =>
  new AppError("NAME_TAKEN", "A role with this name already exists.", {
    name: "A role with this name already exists.",
  });

/** The permissions a role is saved with: only ones the caller holds. */
function grantable(ctx: RoleServiceContext, input: RoleInput): Permission[] {
  const permissions = normalize(input.permissions);
  if (!holdsAll(ctx.permissions, permissions)) {
    throw new AppError("FORBIDDEN_GRANT", GRANT_REFUSED, { permissions: GRANT_REFUSED });
  }
  return permissions;
}

export async function createRole({ ctx, input }: { ctx: RoleServiceContext; input: RoleInput }) {
  checkName(input.name);
  const permissions = grantable(ctx, input);
  try {
    return await prisma.$transaction(async (tx) => {
      const role = await tx.role.create({
        data: { name: input.name.trim(), description: input.description.trim(), permissions, orgId: ctx.org.id },
      });
      await recordAudit(tx, {
        ...ctx.actor,
        orgId: ctx.org.id,
        action: "role.create",
        targetType: "role",
        targetId: role.id,
        details: { name: role.name, added: permissions, removed: [] },
      });
      return role;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken();
    throw e;
  }
}

/**
 * The org's own custom role, for a change: built-in roles are read-only, and a role holding a
 * permission the caller lacks is not theirs to change or remove.
 */
async function ownCustomRole(ctx: RoleServiceContext, roleId: string) {
  const role = await getRole({ org: ctx.org, roleId });
  if (!role) throw new AppError("NOT_FOUND", "That role does not exist or is not yours.");
  if (role.builtIn || role.orgId === null) {
    throw new AppError("BUILT_IN", `${role.name} is a built-in role and cannot be changed.`);
  }
  if (!holdsAll(ctx.permissions, role.permissions)) throw new AppError("FORBIDDEN_GRANT", EDIT_ROLE_REFUSED);
  return role;
}

export async function updateRole({
  ctx,
  roleId,
  input,
}: {
  ctx: RoleServiceContext;
  roleId: string;
  input: RoleInput;
}) {
  const before = await ownCustomRole(ctx, roleId);
  checkName(input.name);
  const permissions = grantable(ctx, input);
  const added = permissions.filter((p) => !before.permissions.includes(p));
  const removed = before.permissions.filter((p) => !permissions.includes(p));
  try {
    return await prisma.$transaction(async (tx) => {
      const role = await tx.role.update({
        where: { id: before.id },
        data: { name: input.name.trim(), description: input.description.trim(), permissions },
      });
      await recordAudit(tx, {
        ...ctx.actor,
        orgId: ctx.org.id,
        action: "role.update",
        targetType: "role",
        targetId: role.id,
        details: {
          // Keys in jsonb's own order (shorter first), so the stored record hashes the same.
          name: role.name,
          added,
          removed,
          ...(role.name !== before.name ? { previousName: before.name } : {}),
        },
      });
      return role;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken();
    throw e;
  }
}

export async function deleteRole({ ctx, roleId }: { ctx: RoleServiceContext; roleId: string }) {
  const role = await ownCustomRole(ctx, roleId);
  await prisma.$transaction(async (tx) => {
    // Counted inside the transaction, with the row locked, so no one is given the role meanwhile.
    await tx.$executeRaw`SELECT 1 FROM roles WHERE id = ${role.id} FOR UPDATE`;
    const users = await tx.user.count({ where: { roleId: role.id } });
    if (users > 0) {
      throw new AppError(
        "IN_USE",
        `${role.name} is assigned to ${users} user${users === 1 ? "" : "s"}. Give them another role first.`,
      );
    }
    await tx.role.delete({ where: { id: role.id } });
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: ctx.org.id,
      action: "role.delete",
      targetType: "role",
      targetId: role.id,
      details: { name: role.name, added: [], removed: role.permissions },
    });
  });
}
