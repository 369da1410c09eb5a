import { forbidden, redirect } from "next/navigation";
import type { Permission } from "./permissions";
import { AuthorizationError, getPortalSession, requirePermission, type PortalSession } from "./session";

export const SECURITY_PAGE = "/account/security";

/**
 * For server components: the signed-in session with `permission`, or sign-in / 403.
 * A person whose org requires a second factor they have not enrolled is sent to the
 * Security page first (`duringEnrollment`: the pages that serve enrollment itself).
 */
export async function requirePageSession(
  permission: Permission | null = null,
  opts: { duringEnrollment?: boolean } = {},
): Promise<PortalSession> {
  const session = await getPortalSession();
  if (!session) redirect("/sign-in");
  if (session.mfaEnrollmentRequired && !opts.duringEnrollment) redirect(SECURITY_PAGE);
  try {
    requirePermission(session, permission);
  } catch (e) {
    if (e instanceof AuthorizationError) forbidden();
    throw e;
  }
  return session;
}
