import Link from "next/link";
import { signOutAction } from "@/lib/actions/auth/sign-out";
import { Button } from "@/components/ui/button";
import { EnvironmentSwitch } from "./environment-switch";
import { SideNav } from "./side-nav";
import { SwitchMerchant } from "./switch-merchant";

export function PortalShell(props: {
  children: React.ReactNode;
  user: { name: string; email: string; role: string };
  actingOrg: { id: string; name: string };
  ownOrgId: string;
  environment: "TEST" | "PRODUCTION";
  canSwitch: boolean;
  /** Counts beside navigation items, by href (unread notifications). */
  badges?: Record<string, number>;
}) {
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <aside className="w-60 shrink-0 bg-slate-900 text-white">
        <div className="px-6 py-5 text-lg font-semibold tracking-tight">KeyCenter</div>
        <SideNav badges={props.badges} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex flex-wrap items-center gap-4 border-b border-slate-200 bg-white px-6 py-3">
          <EnvironmentSwitch environment={props.environment} />
          <div role="group" className="text-sm" aria-label="Acting for">
            <span className="text-slate-500">Merchant ID: </span>
            <span className="font-semibold" data-testid="acting-org">
              {props.actingOrg.id}
            </span>
            <span className="text-slate-500"> · {props.actingOrg.name}</span>
          </div>
          {props.canSwitch && <SwitchMerchant currentOrgId={props.actingOrg.id} ownOrgId={props.ownOrgId} />}
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="text-slate-600">
              {props.user.email} <span className="text-slate-500">({props.user.role})</span>
            </span>
            <Link href="/account/security" className="font-medium text-brand-700 hover:underline">
              Security
            </Link>
            <form action={signOutAction}>
              <Button type="submit" variant="secondary">
                Sign out
              </Button>
            </form>
          </div>
        </header>
        <main id="main" className="flex-1 p-6">
          {props.children}
        </main>
      </div>
    </div>
  );
}
