import { PortalShell } from "@/components/shell/portal-shell";
import { unreadNotificationCount } from "@/lib/alerts/notifications";
import { requirePageSession } from "@/lib/auth/page";
import { hasPermission } from "@/lib/auth/session";
import { canSwitchMerchant } from "@/lib/orgs/hierarchy";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  // The shell also frames the Security page, where a required second factor is enrolled.
  const session = await requirePageSession(null, { duringEnrollment: true });
  const unread = hasPermission(session, "keys.view") ? await unreadNotificationCount(session.actingOrg.id) : 0;
  return (
    <PortalShell
      user={{ name: session.user.name, email: session.user.email, role: session.roleName }}
      actingOrg={{ id: session.actingOrg.id, name: session.actingOrg.name }}
      ownOrgId={session.userOrg.id}
      environment={session.environment}
      canSwitch={canSwitchMerchant(session.userOrg)}
      permissions={session.permissions}
      badges={{ "/notifications": unread }}
    >
      {children}
    </PortalShell>
  );
}
