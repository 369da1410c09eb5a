import { forbidden, redirect } from "next/navigation";
import type { Permission } from "./permissions";
import { AuthorizationError, getPortalSession, requirePermission, type PortalSession } from "./session";

/** For server components: the signed-in session with `permission`, or sign-in / 403. */
export async function requirePageSession(permission: Permission | null = null): Promise<PortalSession> {
  const session = await getPortalSession();
  if (!session) redirect("/sign-in");
  try {
    requirePermission(session, permission);
  } catch (e) {
    if (e instanceof AuthorizationError) forbidden();
    throw e;
  }
  return session;
}
