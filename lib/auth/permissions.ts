/**
 * Every permission a role can grant, grouped as the Edit User Role page shows them.
 * Group and permission labels follow the guide where it names them.
 */
export const PERMISSION_GROUPS = [
  {
    group: "Key Management",
    permissions: [
      { id: "keys.view", label: "View keys" },
      { id: "keys.create", label: "Create keys" },
      { id: "keys.delete", label: "Delete keys" },
      { id: "keys.deactivate", label: "Deactivate keys" },
      { id: "keys.meta", label: "Manage meta keys" },
    ],
  },
  {
    group: "Credit Card Account Updater Permissions",
    permissions: [{ id: "ccau.viewStatus", label: "View Status" }],
  },
  {
    group: "Merchant Settings Permissions",
    permissions: [{ id: "pgp.settings", label: "PGP Security Settings" }],
  },
  {
    group: "Reporting Permissions",
    permissions: [{ id: "reports.download", label: "Report Download" }],
  },
  {
    group: "Transaction Management",
    permissions: [{ id: "transactions.view", label: "View transactions" }],
  },
  {
    group: "Account Management",
    permissions: [
      { id: "users.manage", label: "Manage users" },
      { id: "roles.manage", label: "Manage roles" },
      { id: "settings.manage", label: "Manage settings" },
    ],
  },
  {
    group: "Audit",
    permissions: [
      { id: "audit.view", label: "View audit log" },
      { id: "audit.export", label: "Export audit log" },
    ],
  },
] as const;

export type Permission = (typeof PERMISSION_GROUPS)[number]["permissions"][number]["id"];

export const ALL_PERMISSIONS: Permission[] = PERMISSION_GROUPS.flatMap((g) => g.permissions.map((p) => p.id));

export function isPermission(value: string): value is Permission {
  return (ALL_PERMISSIONS as string[]).includes(value);
}

/** The roles every installation starts with (built in: they cannot be deleted). */
export const BUILT_IN_ROLES: { id: string; name: string; description: string; permissions: Permission[] }[] = [
  {
    id: "role_administrator",
    name: "Administrator",
    description: "Everything, for the organization and the organizations below it.",
    permissions: ALL_PERMISSIONS,
  },
  {
    id: "role_key_manager",
    name: "Key Manager",
    description: "Creates, deactivates and deletes security keys.",
    permissions: ["keys.view", "keys.create", "keys.delete", "keys.deactivate", "keys.meta", "transactions.view"],
  },
  {
    id: "role_viewer",
    name: "Viewer",
    description: "Sees keys and transactions; changes nothing.",
    permissions: ["keys.view", "transactions.view"],
  },
];
