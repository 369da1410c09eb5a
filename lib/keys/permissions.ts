import type { Permission } from "@/lib/auth/permissions";
import type { ServiceContext } from "@/lib/context";
import { AppError } from "@/lib/errors";
import type { KeyType } from "@/lib/generated/prisma/enums";
import { keyPermissions } from "./types";

/**
 * Throws FORBIDDEN, as `requirePermission` answers, unless the caller of `ctx` holds every
 * one of `permissions`. A context without permissions (a script, a test) is not a person's
 * session: nothing to check. The action has checked its own permission and the org scope.
 */
export function requireHeld(ctx: ServiceContext, permissions: readonly Permission[]): void {
  const held = ctx.permissions;
  if (!held) return;
  for (const needed of permissions) {
    if (!held.has(needed)) throw new AppError("FORBIDDEN", "Your role does not allow this.");
  }
}

/**
 * `permission` (keys.create, keys.deactivate, keys.delete) and what the key type adds to it
 * (registry: extraPermission; PGP: PGP Security Settings). Services check it because only
 * they know the key's type.
 */
export function requireKeyPermissions(ctx: ServiceContext, type: KeyType, permission: Permission): void {
  requireHeld(ctx, keyPermissions(type, permission));
}
