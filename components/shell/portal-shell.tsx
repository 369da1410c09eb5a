import Link from "next/link";
import { signOutAction } from "@/lib/actions/auth/sign-out";
import { Button } from "@/components/ui/button";
import type { Permission } from "@/lib/auth/permissions";
import { EnvironmentSwitch } from "./environment-switch";
import { navFor } from "./nav";
import { SideNav } from "./side-nav";
import { SwitchMerchant } from "./switch-merchant";

export function PortalShell(props: {
  children: React.ReactNode;
  user: { name: string; email: string; role: string };
  actingOrg: { id: string; name: string };
  ownOrgId: string;
  environment: "TEST" | "PRODUCTION";
  canSwitch: boolean;
  /** What the person's role holds: the navigation offers only the pages it opens. */
  permissions: Iterable<Permission>;
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
        <SideNav groups={navFor(props.permissions)} badges={props.badges} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        {/* One line at 1280 px for every user kind: names shrink (full text on hover), controls do not. */}
        <header className="flex flex-nowrap items-center gap-4 whitespace-nowrap border-b border-slate-200 bg-white px-6 py-3">
          <EnvironmentSwitch environment={props.environment} />
          <div
            role="group"
            className="flex min-w-0 items-baseline text-sm"
            aria-label="Acting for"
            title={`${props.actingOrg.id} · ${props.actingOrg.name}`}
          >
            <span className="shrink-0 text-slate-600">Merchant ID:&nbsp;</span>
            <span className="shrink-0 font-semibold" data-testid="acting-org">
              {props.actingOrg.id}
            </span>
            <span className="truncate text-slate-600">&nbsp;· {props.actingOrg.name}</span>
          </div>
          {props.canSwitch && (
            <div className="shrink-0">
              <SwitchMerchant currentOrgId={props.actingOrg.id} ownOrgId={props.ownOrgId} />
            </div>
          )}
          <div className="ml-auto flex min-w-0 items-center gap-3 text-sm">
            <span className="flex min-w-0 text-slate-700" title={`${props.user.email} (${props.user.role})`}>
              <span className="truncate">{props.user.email}</span>
              <span className="shrink-0 text-slate-600">&nbsp;({props.user.role})</span>
            </span>
            <Link href="/account/security" className="shrink-0 font-medium text-brand-700 hover:underline">
              Security
            </Link>
            <form action={signOutAction} className="shrink-0">
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
