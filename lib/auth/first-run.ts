import { z } from "zod";
import { AppError, fieldErrors } from "@/lib/errors";
import { recordAudit, type AuditActor } from "@/lib/audit";
import { safeText } from "@/lib/validation";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { OrgType } from "@/lib/generated/prisma/enums";
import { createOrg, createUser, ensureBuiltInRoles } from "@/prisma/seed";

/**
 * First-run set-up of a real database (the demo data goes only into the embedded one): the
 * top organization and its first Administrator, from `npm run admin:create` or from the
 * one-time /setup page. Both go through `createAdministrator`.
 */

export const ADMINISTRATOR_ROLE_ID = "role_administrator";

/** Held for the set-up's transaction: two set-ups at once run one after the other. */
const FIRST_RUN_LOCK = 727_101;

/** The rules for a password a person chooses (set-up, invitation): as better-auth's (12 to 128). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
export const newPasswordSchema = safeText({ secret: true })
  .min(PASSWORD_MIN_LENGTH, `At least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `At most ${PASSWORD_MAX_LENGTH} characters.`);

/** A stored one-line text field: the shared edge rule (lib/validation.ts), trimmed, bounded. */
const text = (max: number) => safeText().trim().max(max, `At most ${max} characters.`);

export const ORG_TYPES = { portfolio: "PORTFOLIO", account: "ACCOUNT", merchant: "MERCHANT" } as const;

export const administratorSchema = z.object({
  email: text(200).pipe(z.string().min(1, "Enter an email.").email("Enter a valid email address.")),
  name: text(200).optional(),
  orgId: text(64).pipe(
    z
      .string()
      .min(1, "Enter the organization ID.")
      .regex(/^[a-z0-9_]{2,64}$/, "Use 2 to 64 lowercase letters, digits or underscores."),
  ),
  orgName: text(200).optional(),
  orgType: z.enum(["portfolio", "account", "merchant"], "Choose portfolio, account or merchant.").default("portfolio"),
  password: newPasswordSchema,
});
/** What a form or the command line gives: text, checked by administratorSchema. */
export type AdministratorInput = { [K in keyof z.input<typeof administratorSchema>]?: string };

async function defaultDb(): Promise<PrismaClient> {
  return (await import("@/lib/db")).prisma;
}

/** True while the database has no user at all: the set-up page exists only then. */
export async function firstRunPending(db?: Pick<PrismaClient, "user">): Promise<boolean> {
  const client = db ?? (await defaultDb());
  return (await client.user.findFirst({ select: { id: true } })) === null;
}

export interface CreatedAdministrator {
  userId: string;
  email: string;
  orgId: string;
  orgCreated: boolean;
}

/**
 * Creates the organization `orgId` (top level) when it does not exist, and an Administrator
 * of it, with the audit records, in one transaction. `firstOnly` (the /setup page): refused
 * once any user exists; the check and the creation hold one advisory lock, so of two racing
 * set-ups exactly one creates an administrator. A duplicate email is refused either way.
 */
export async function createAdministrator(
  raw: AdministratorInput,
  opts: { firstOnly: boolean; via: "setup" | "admin:create"; actor?: AuditActor; db?: PrismaClient },
): Promise<CreatedAdministrator> {
  const parsed = administratorSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError("INVALID_INPUT", "Please correct the highlighted fields.", fieldErrors(parsed.error));
  }
  const input = parsed.data;
  const email = input.email.toLowerCase();
  const db = opts.db ?? (await defaultDb());
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_RUN_LOCK})`;
      if (opts.firstOnly && (await tx.user.findFirst({ select: { id: true } }))) {
        throw new AppError("SETUP_DONE", "KeyCenter is set up already. Sign in instead.");
      }
      if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
        throw new AppError("DUPLICATE", "A user with this email exists already.", {
          email: "A user with this email exists already.",
        });
      }
      await ensureBuiltInRoles(tx);
      const existing = await tx.organization.findUnique({ where: { id: input.orgId } });
      const orgType: OrgType = existing?.type ?? ORG_TYPES[input.orgType];
      const audit = { ip: opts.actor?.ip ?? null, userAgent: opts.actor?.userAgent ?? null };
      if (!existing) {
        await createOrg(tx, { id: input.orgId, name: input.orgName || input.orgId, type: orgType, parent: null });
      }
      const name = input.name || "Administrator";
      const userId = await createUser(
        tx,
        { email, name, orgId: input.orgId, roleId: ADMINISTRATOR_ROLE_ID },
        input.password,
      );
      // The person setting up is the new administrator; the command line names no one else.
      const actor = opts.via === "setup" ? { actorId: userId, actorEmail: email } : {};
      if (!existing) {
        await recordAudit(tx, {
          ...audit,
          ...actor,
          orgId: input.orgId,
          action: "org.create",
          targetType: "organization",
          targetId: input.orgId,
          details: { name: input.orgName || input.orgId, type: orgType, via: opts.via },
        });
      }
      await recordAudit(tx, {
        ...audit,
        ...actor,
        orgId: input.orgId,
        action: "user.create",
        targetType: "user",
        targetId: userId,
        details: { email, role: "Administrator", via: opts.via },
      });
      return { userId, email, orgId: input.orgId, orgCreated: !existing };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}
