import { PortalShell } from "@/components/shell/portal-shell";
import { requirePageSession } from "@/lib/auth/page";
import { canSwitchMerchant } from "@/lib/orgs/hierarchy";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  // The shell also frames the Security page, where a required second factor is enrolled.
  const session = await requirePageSession(null, { duringEnrollment: true });
  return (
    <PortalShell
      user={{ name: session.user.name, email: session.user.email, role: session.roleName }}
      actingOrg={{ id: session.actingOrg.id, name: session.actingOrg.name }}
      ownOrgId={session.userOrg.id}
      environment={session.environment}
      canSwitch={canSwitchMerchant(session.userOrg)}
    >
      {children}
    </PortalShell>
  );
}
