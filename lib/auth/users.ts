import { AppError } from "@/lib/actions";
import { recordAudit } from "@/lib/audit";
import { prisma } from "@/lib/db";
import { mayActFor, type OrgRef } from "@/lib/orgs/hierarchy";
import { orgsWithin } from "@/lib/orgs/search";
import { createUser as insertUser } from "@/prisma/seed";
import type { KeyServiceContext } from "@/lib/keys/context";

/** Account Management > Users: the people of the org acted for and the orgs below it. */
export async function listUsers(scope: OrgRef) {
  return prisma.user.findMany({
    where: { org: orgsWithin(scope) },
    orderBy: [{ orgId: "asc" }, { email: "asc" }],
    take: 500,
    select: {
      id: true,
      email: true,
      name: true,
      orgId: true,
      disabled: true,
      lockedUntil: true,
      twoFactorEnabled: true,
      role: { select: { id: true, name: true } },
      _count: { select: { sessions: true } },
    },
  });
}

/** The roles a person of `userOrg` may hand out: built-in ones and their own org's. */
export async function assignableRoles(userOrg: OrgRef) {
  return prisma.role.findMany({
    where: { OR: [{ orgId: null }, { orgId: userOrg.id }] },
    orderBy: [{ builtIn: "desc" }, { name: "asc" }],
    select: { id: true, name: true },
  });
}

export async function createPortalUser(input: {
  ctx: KeyServiceContext;
  userOrg: OrgRef;
  email: string;
  name: string;
  orgId: string;
  roleId: string;
  password: string;
}) {
  const org = await prisma.organization.findUnique({ where: { id: input.orgId } });
  if (!org || !mayActFor(input.userOrg, org)) {
    throw new AppError("INVALID_INPUT", "Choose an organization at or below yours.", {
      orgId: "Choose an organization at or below yours.",
    });
  }
  const role = await prisma.role.findUnique({ where: { id: input.roleId } });
  if (!role || (role.orgId !== null && role.orgId !== input.userOrg.id)) {
    throw new AppError("INVALID_INPUT", "Choose one of the roles listed.", {
      roleId: "Choose one of the roles listed.",
    });
  }
  const email = input.email.trim().toLowerCase();
  if (await prisma.user.findUnique({ where: { email } })) {
    throw new AppError("DUPLICATE", "A user with this email exists already.", {
      email: "A user with this email exists already.",
    });
  }
  const id = await insertUser(prisma, { email, name: input.name, orgId: org.id, roleId: role.id }, input.password);
  await prisma.$transaction((tx) =>
    recordAudit(tx, {
      ...input.ctx.actor,
      orgId: org.id,
      action: "user.create",
      targetType: "user",
      targetId: id,
      details: { email, role: role.name },
    }),
  );
  return { id };
}

/** Disable (every session ends at once) or enable a user of the org or below. */
export async function setUserDisabled(input: {
  ctx: KeyServiceContext;
  userOrg: OrgRef;
  userId: string;
  disabled: boolean;
}) {
  const user = await prisma.user.findUnique({ where: { id: input.userId }, include: { org: true } });
  if (!user || !mayActFor(input.userOrg, user.org)) throw new AppError("NOT_FOUND", "No such user.");
  if (user.id === input.ctx.actor.actorId) throw new AppError("NOT_ALLOWED", "You cannot disable yourself.");
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { disabled: input.disabled } });
    const ended = input.disabled ? (await tx.session.deleteMany({ where: { userId: user.id } })).count : 0;
    await recordAudit(tx, {
      ...input.ctx.actor,
      orgId: user.orgId,
      action: input.disabled ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: user.id,
      details: { email: user.email, sessionsEnded: ended },
    });
  });
}
