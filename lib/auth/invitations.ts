import { createHash, randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { defaultTransports, type AlertTransports } from "@/lib/alerts/transports";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { prisma, type Tx } from "@/lib/db";
import { formatDate } from "@/lib/format";
import { logger } from "@/lib/log";
import { publicUrl } from "@/lib/public-url";
import { credential } from "@/prisma/seed";
import { newPasswordSchema } from "./first-run";

/**
 * Invitations: a new user has no password (and cannot sign in) until they choose one at
 * /invite/<token>. The token is 256 random bits, shown once to the administrator and emailed
 * (SMTP_URL, or the Outbox page in demo mode); the database keeps only its SHA-256. One use,
 * INVITATION_DAYS to use it, and a new invitation replaces the person's earlier ones.
 */

export const INVITATION_DAYS = 7;
const DAY_MS = 86_400_000;

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The link people open, on the public URL (lib/public-url.ts). */
export function invitationUrl(token: string): string {
  return publicUrl(`/invite/${token}`);
}

export interface IssuedInvitation {
  /** The link with the token: shown once, never stored. */
  url: string;
  expiresAt: Date;
}

/**
 * A new invitation for `userId`, inside the caller's transaction (with the user's creation or
 * the re-send and its audit record); the person's earlier unused invitations stop working.
 */
export async function issueInvitation(
  tx: Tx,
  input: { userId: string; createdById: string | null; now?: Date },
): Promise<IssuedInvitation> {
  const now = input.now ?? new Date();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * DAY_MS);
  await tx.invitation.updateMany({
    where: { userId: input.userId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  await tx.invitation.create({
    data: {
      userId: input.userId,
      tokenHash: hashInvitationToken(token),
      expiresAt,
      createdById: input.createdById,
      createdAt: now,
    },
  });
  return { url: invitationUrl(token), expiresAt };
}

export type InvitationDelivery = "sent" | "outbox" | "failed";

/**
 * Emails the link (after the invitation is committed): by SMTP when SMTP_URL is set, else
 * onto the Outbox page of the person's org, as expiry alerts do. A failure is logged, not
 * thrown: the administrator has the link on screen.
 */
export async function emailInvitation(
  input: { to: string; name: string; orgId: string; invitedBy: string; invitation: IssuedInvitation },
  transports: AlertTransports = defaultTransports(),
): Promise<InvitationDelivery> {
  const message = {
    from: transports.from,
    to: input.to,
    subject: "[KeyCenter] Set your password",
    text: [
      `Hello ${input.name},`,
      "",
      `${input.invitedBy} created a KeyCenter account for you (${input.to}, organization ${input.orgId}).`,
      "Choose your password here:",
      "",
      input.invitation.url,
      "",
      `The link works once, until ${formatDate(input.invitation.expiresAt)}. If you did not expect this email, ignore it.`,
    ].join("\n"),
  };
  try {
    if (!transports.mailer) {
      await prisma.outboxEmail.create({ data: { ...message, orgId: input.orgId } });
      return "outbox";
    }
    await transports.mailer.sendMail(message);
    return "sent";
  } catch (e) {
    const code = (e as { responseCode?: number; code?: string }).responseCode ?? (e as { code?: string }).code;
    logger.warn({ orgId: input.orgId, error: `email failed${code ? ` ${code}` : ""}` }, "invitation email failed");
    return "failed";
  }
}

export type InvitationState =
  | { state: "valid"; email: string; name: string; orgId: string; expiresAt: Date }
  | { state: "invalid" | "expired" | "used" | "replaced" | "disabled" };

const MESSAGES: Record<Exclude<InvitationState["state"], "valid">, string> = {
  invalid:
    "This invitation link is not valid. Check that you copied all of it, or ask your administrator for a new one.",
  expired: "This invitation has expired. Ask your administrator to send you a new one.",
  used: "This invitation has been used already. Sign in with the password you chose.",
  replaced: "A newer invitation replaced this one. Use the link of the latest invitation.",
  disabled: "This account is disabled. Ask your administrator.",
};

export function invitationMessage(state: Exclude<InvitationState["state"], "valid">): string {
  return MESSAGES[state];
}

const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

async function findInvitation(token: string) {
  if (!TokenSchema.safeParse(token).success) return null;
  return prisma.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    include: { user: { select: { id: true, email: true, name: true, orgId: true, disabled: true } } },
  });
}

function stateOf(
  inv: NonNullable<Awaited<ReturnType<typeof findInvitation>>> | null,
  now: Date,
): InvitationState["state"] {
  if (!inv) return "invalid";
  if (inv.acceptedAt) return "used";
  if (inv.revokedAt) return "replaced";
  if (inv.expiresAt <= now) return "expired";
  if (inv.user.disabled) return "disabled";
  return "valid";
}

/** What the /invite page shows for a token. */
export async function invitationState(token: string, now = new Date()): Promise<InvitationState> {
  const inv = await findInvitation(token);
  const state = stateOf(inv, now);
  if (state !== "valid") return { state };
  const { email, name, orgId } = inv!.user;
  return { state, email, name, orgId, expiresAt: inv!.expiresAt };
}

/**
 * Accepts an invitation: the person's password (the same rules as everywhere) becomes their
 * credential, once. The invitation is claimed by one conditional UPDATE, so two submissions
 * of one link set one password; audited (also a refused attempt at a real invitation).
 */
export async function acceptInvitation(input: {
  token: string;
  password: string;
  actor?: Pick<AuditActor, "ip" | "userAgent">;
  now?: Date;
}): Promise<{ email: string }> {
  const password = newPasswordSchema.safeParse(input.password);
  if (!password.success) {
    const message = password.error.issues[0]!.message;
    throw new AppError("INVALID_INPUT", "Please correct the highlighted fields.", { password: message });
  }
  const now = input.now ?? new Date();
  const inv = await findInvitation(input.token);
  const audit = (tx: Tx, result: "success" | "failure", details: Record<string, string>) =>
    recordAudit(tx, {
      ip: input.actor?.ip ?? null,
      userAgent: input.actor?.userAgent ?? null,
      actorId: inv!.user.id,
      actorEmail: inv!.user.email,
      orgId: inv!.user.orgId,
      action: "user.invitation_accept",
      targetType: "user",
      targetId: inv!.user.id,
      result,
      details,
    });
  const refuse = async (state: Exclude<InvitationState["state"], "valid">) => {
    if (inv) await prisma.$transaction((tx) => audit(tx, "failure", { reason: state }));
    return new AppError(`INVITATION_${state.toUpperCase()}`, MESSAGES[state]);
  };
  const state = stateOf(inv, now);
  if (state !== "valid") throw await refuse(state);
  const fields = await credential(inv!.user.id, password.data);
  const accepted = await prisma.$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { id: inv!.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (claimed.count !== 1) return false;
    // One credential per person: a second one (there should be none) is replaced, not added.
    await tx.account.deleteMany({ where: { userId: inv!.user.id, providerId: "credential" } });
    await tx.account.create({ data: { id: randomUUID(), userId: inv!.user.id, ...fields } });
    await tx.user.update({
      where: { id: inv!.user.id },
      data: { emailVerified: true, failedSignIns: 0, lockedUntil: null },
    });
    await audit(tx, "success", {});
    return true;
  });
  if (!accepted) throw await refuse("used");
  return { email: inv!.user.email };
}
