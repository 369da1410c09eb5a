import type { Permission } from "@/lib/auth/permissions";

export interface NavItem {
  href: string;
  label: string;
  /** The page opens with any one of these (its requirePageSession / forbidden check); none: everyone. */
  needs?: Permission[];
}
export interface NavGroup {
  section: string | null;
  items: NavItem[];
}

/** The left navigation, with the guide's names. */
export const NAV: NavGroup[] = [
  {
    section: null,
    items: [
      { href: "/dashboard", label: "Dashboard" },
      { href: "/notifications", label: "Notifications", needs: ["keys.view"] },
    ],
  },
  { section: "Payment Configuration", items: [{ href: "/keys", label: "Key Management", needs: ["keys.view"] }] },
  {
    section: "Transaction Management",
    items: [
      { href: "/transactions", label: "Transactions", needs: ["transactions.view"] },
      { href: "/live-console", label: "Live Console", needs: ["transactions.view"] },
    ],
  },
  {
    section: "Reporting",
    items: [{ href: "/reports", label: "Reports", needs: ["reports.download", "ccau.viewStatus"] }],
  },
  {
    section: "Account Management",
    items: [
      { href: "/roles", label: "Roles", needs: ["roles.manage"] },
      { href: "/users", label: "Users", needs: ["users.manage"] },
      { href: "/settings", label: "Settings", needs: ["settings.manage"] },
    ],
  },
  { section: null, items: [{ href: "/audit", label: "Audit", needs: ["audit.view"] }] },
];

/** The navigation a person sees: only the pages their role can open (no link that answers 403). */
export function navFor(permissions: Iterable<Permission>): NavGroup[] {
  const held = new Set(permissions);
  return NAV.map((group) => ({
    ...group,
    items: group.items.filter((item) => !item.needs || item.needs.some((p) => held.has(p))),
  })).filter((group) => group.items.length > 0);
}
