/** The left navigation, with the guide's names. */
export const NAV: { section: string | null; items: { href: string; label: string }[] }[] = [
  {
    section: null,
    items: [
      { href: "/dashboard", label: "Dashboard" },
      { href: "/notifications", label: "Notifications" },
    ],
  },
  { section: "Payment Configuration", items: [{ href: "/keys", label: "Key Management" }] },
  {
    section: "Transaction Management",
    items: [
      { href: "/transactions", label: "Transactions" },
      { href: "/live-console", label: "Live Console" },
    ],
  },
  { section: "Reporting", items: [{ href: "/reports", label: "Reports" }] },
  {
    section: "Account Management",
    items: [
      { href: "/roles", label: "Roles" },
      { href: "/users", label: "Users" },
      { href: "/settings", label: "Settings" },
    ],
  },
  { section: null, items: [{ href: "/audit", label: "Audit" }] },
];
