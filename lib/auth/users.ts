import { actorOf } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { prisma } from "@/lib/db";
import { mayActFor, type OrgRef } from "@/lib/orgs/hierarchy";
import { Prisma } from "@/lib/generated/prisma/client";
import { orgColumnWithin } from "@/lib/orgs/scope";
import { createUser as insertUser } from "@/prisma/seed";
import { GRANT_REFUSED, holdsAll, MANAGE_REFUSED } from "./grants";
import { emailInvitation, issueInvitation } from "./invitations";
import type { Permission } from "./permissions";
import type { PortalSession } from "./session";

/**
 * Account Management > Users. Services take one object argument, write the change and its
 * audit record in one transaction, and throw AppError for expected failures.
 */
export interface UserServiceContext {
  actor: AuditActor & { actorId: string; actorEmail: string };
  /** The actor's own org: people are managed there and below. */
  userOrg: OrgRef;
  /** What the actor holds: the most they may hand on (lib/auth/grants.ts). */
  permissions: ReadonlySet<Permission>;
}

export function userContext(session: PortalSession): UserServiceContext {
  return {
    actor: actorOf(session),
    userOrg: session.userOrg,
    permissions: session.permissions,
  };
}

/** The org a person belongs to (what an action about them is checked against), or null. */
export async function orgOfPerson(userId: string) {
  return (await prisma.user.findUnique({ where: { id: userId }, include: { org: true } }))?.org ?? null;
}

export const USERS_PAGE_SIZE = 50;

const userRowSelect = {
  id: true,
  email: true,
  name: true,
  orgId: true,
  disabled: true,
  lockedUntil: true,
  twoFactorEnabled: true,
  role: { select: { id: true, name: true, permissions: true } },
  _count: { select: { sessions: true, accounts: { where: { providerId: "credential" } } } },
  // Invited, not yet accepted: the latest live invitation says until when.
  invitations: {
    where: { acceptedAt: null, revokedAt: null },
    orderBy: { createdAt: "desc" },
    take: 1,
    select: { expiresAt: true },
  },
} satisfies Prisma.UserSelect;

/**
 * Account Management > Users: the people of the org acted for and the orgs below it, by
 * organization then email, one page at a time in the database: the (orgId, email) index is
 * walked in order and each person's org checked by primary key (lib/orgs/scope.ts), so a
 * portfolio of 100,000 MIDs costs one page, not a list of its orgs.
 */
export async function listUsers(scope: OrgRef, { page = 1, pageSize = USERS_PAGE_SIZE } = {}) {
  const within = orgColumnWithin(scope, Prisma.raw(`u."orgId"`));
  const [counted] = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "users" u WHERE ${within}`;
  const total = Number(counted?.n ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  const ids = await prisma.$queryRaw<{ id: string }[]>`
    SELECT u."id" FROM "users" u WHERE ${within}
    ORDER BY u."orgId", u."email" LIMIT ${pageSize} OFFSET ${(current - 1) * pageSize}`;
  const rows = await prisma.user.findMany({
    where: { id: { in: ids.map((r) => r.id) } }, // one page of people, not orgs
    orderBy: [{ orgId: "asc" }, { email: "asc" }],
    select: userRowSelect,
  });
  return { rows, total, page: current, pageCount };
}

/**
 * The roles the actor may hand out (Create user, Change role): built-in ones and their own
 * org's, each only when the actor holds every permission of it.
 */
export async function assignableRoles(ctx: Pick<UserServiceContext, "userOrg" | "permissions">) {
  const roles = await prisma.role.findMany({
    where: { OR: [{ orgId: null }, { orgId: ctx.userOrg.id }] },
    orderBy: [{ builtIn: "desc" }, { name: "asc" }],
    select: { id: true, name: true, permissions: true },
  });
  return roles.filter((r) => holdsAll(ctx.permissions, r.permissions)).map(({ id, name }) => ({ id, name }));
}

/** A role the actor may give: one listed by assignableRoles, else a field error on roleId. */
async function grantableRole(ctx: UserServiceContext, roleId: string) {
  const role = await prisma.role.findUnique({ where: { id: roleId } });
  if (!role || (role.orgId !== null && role.orgId !== ctx.userOrg.id)) {
    throw new AppError("INVALID_INPUT", "Choose one of the roles listed.", {
      roleId: "Choose one of the roles listed.",
    });
  }
  if (!holdsAll(ctx.permissions, role.permissions)) {
    throw new AppError("FORBIDDEN_GRANT", GRANT_REFUSED, { roleId: GRANT_REFUSED });
  }
  return role;
}

/** A person of the actor's org or below whose role holds nothing the actor lacks. */
async function manageableUser(ctx: UserServiceContext, userId: string) {
  const user = await prisma.user.findUnique({ where: { id: userId }, include: { org: true, role: true } });
  if (!user || !mayActFor(ctx.userOrg, user.org)) throw new AppError("NOT_FOUND", "No such user.");
  if (!holdsAll(ctx.permissions, user.role.permissions)) throw new AppError("FORBIDDEN_GRANT", MANAGE_REFUSED);
  return user;
}

/** Checks that the actor may manage `userId` (disable, reset their second factor, change their role). */
export async function assertManageable(ctx: UserServiceContext, userId: string): Promise<void> {
  await manageableUser(ctx, userId);
}

/**
 * Create user: the person gets no password from the administrator. They are invited
 * (lib/auth/invitations.ts): the link is returned to be shown once and emailed to them, and
 * they cannot sign in until they have chosen their password with it.
 */
export async function createPortalUser(input: {
  ctx: UserServiceContext;
  email: string;
  name: string;
  orgId: string;
  roleId: string;
}) {
  const { ctx } = input;
  const org = await prisma.organization.findUnique({ where: { id: input.orgId } });
  if (!org || !mayActFor(ctx.userOrg, org)) {
    throw new AppError("INVALID_INPUT", "Choose an organization at or below yours.", {
      orgId: "Choose an organization at or below yours.",
    });
  }
  const role = await grantableRole(ctx, input.roleId);
  const email = input.email.trim().toLowerCase();
  const duplicate = () =>
    new AppError("DUPLICATE", "A user with this email exists already.", {
      email: "A user with this email exists already.",
    });
  if (await prisma.user.findUnique({ where: { email } })) throw duplicate();
  const { id, invitation } = await prisma
    .$transaction(async (tx) => {
      const id = await insertUser(tx, { email, name: input.name, orgId: org.id, roleId: role.id }, null);
      const invitation = await issueInvitation(tx, { userId: id, createdById: ctx.actor.actorId });
      await recordAudit(tx, {
        ...ctx.actor,
        orgId: org.id,
        action: "user.create",
        targetType: "user",
        targetId: id,
        details: { email, role: role.name, invitationExpiresAt: invitation.expiresAt.toISOString() },
      });
      return { id, invitation };
    })
    .catch((e: unknown) => {
      // Two creations of one email at once: the unique index decides.
      if (e instanceof Error && "code" in e && e.code === "P2002") throw duplicate();
      throw e;
    });
  const emailed = await emailInvitation({
    to: email,
    name: input.name,
    orgId: org.id,
    invitedBy: ctx.actor.actorEmail,
    invitation,
  });
  return { id, email, invitationUrl: invitation.url, expiresAt: invitation.expiresAt.toISOString(), emailed };
}

/**
 * Send a new invitation to a person who has not set their password yet (the last one
 * expired, or was lost); their earlier links stop working. The new link is returned to be
 * shown once, and emailed.
 */
export async function resendInvitation(input: { ctx: UserServiceContext; userId: string }) {
  const { ctx } = input;
  const user = await manageableUser(ctx, input.userId);
  if (await prisma.account.findFirst({ where: { userId: user.id, providerId: "credential" }, select: { id: true } })) {
    throw new AppError("NOT_ALLOWED", "This person has set their password already.");
  }
  const invitation = await prisma.$transaction(async (tx) => {
    const invitation = await issueInvitation(tx, { userId: user.id, createdById: ctx.actor.actorId });
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: user.orgId,
      action: "user.invitation_send",
      targetType: "user",
      targetId: user.id,
      details: { email: user.email, expiresAt: invitation.expiresAt.toISOString() },
    });
    return invitation;
  });
  const emailed = await emailInvitation({
    to: user.email,
    name: user.name,
    orgId: user.orgId,
    invitedBy: ctx.actor.actorEmail,
    invitation,
  });
  return { email: user.email, invitationUrl: invitation.url, expiresAt: invitation.expiresAt.toISOString(), emailed };
}

/** Change role: the new role must be one the actor may give, the person one they may manage. */
export async function setUserRole(input: { ctx: UserServiceContext; userId: string; roleId: string }) {
  const { ctx } = input;
  const user = await manageableUser(ctx, input.userId);
  if (user.id === ctx.actor.actorId) throw new AppError("NOT_ALLOWED", "You cannot change your own role.");
  const role = await grantableRole(ctx, input.roleId);
  if (role.id === user.roleId) return;
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { roleId: role.id } });
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: user.orgId,
      action: "user.role",
      targetType: "user",
      targetId: user.id,
      details: { role: role.name, email: user.email, previousRole: user.role.name },
    });
  });
}

/** Disable (every session ends at once) or enable a user of the org or below. */
export async function setUserDisabled(input: { ctx: UserServiceContext; userId: string; disabled: boolean }) {
  const { ctx } = input;
  const user = await manageableUser(ctx, input.userId);
  if (user.id === ctx.actor.actorId) throw new AppError("NOT_ALLOWED", "You cannot disable yourself.");
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { disabled: input.disabled } });
    const ended = input.disabled ? (await tx.session.deleteMany({ where: { userId: user.id } })).count : 0;
    await recordAudit(tx, {
      ...ctx.actor,
      orgId: user.orgId,
      action: input.disabled ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: user.id,
      details: { email: user.email, sessionsEnded: ended },
    });
  });
}
