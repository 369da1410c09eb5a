import type { Permission } from "@/lib/auth/permissions";
import { AuthorizationError, getPortalSession, requirePermission, type PortalSession } from "@/lib/auth/session";

export type RouteGuard = { ok: true; session: PortalSession } | { ok: false; response: Response };

/**
 * The route-handler side of the one authorization check: the caller's session must hold
 * `permission` for the org acted for. Signed out → 401, not allowed → 403, as plain text.
 */
export async function guardRoute(permission: Permission): Promise<RouteGuard> {
  const session = await getPortalSession();
  try {
    requirePermission(session, permission);
    return { ok: true, session };
  } catch (e) {
    if (e instanceof AuthorizationError) {
      return {
        ok: false,
        response: new Response(e.message, {
          status: e.code === "UNAUTHENTICATED" ? 401 : 403,
          headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
        }),
      };
    }
    throw e;
  }
}
