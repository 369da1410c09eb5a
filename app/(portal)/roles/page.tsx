import type { Metadata } from "next";
import Link from "next/link";
import { DeleteRoleButton } from "@/components/roles/delete-role-button";
import { buttonClass } from "@/components/ui/button";
import { requirePageSession } from "@/lib/auth/page";
import { listRoles } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Roles" };

const COLUMNS: { label: string; className?: string; hidden?: boolean }[] = [
  { label: "Edit" },
  { label: "Name" },
  { label: "Description" },
  { label: "Type" },
  { label: "Users", className: "px-4 py-3 text-right" },
  { label: "Delete", hidden: true },
];

export default async function RolesPage() {
  const session = await requirePageSession("roles.manage");
  const roles = await listRoles({ org: session.userOrg });
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold">Roles</h1>
        <Link href="/roles/new" className={buttonClass("primary", "ml-auto")}>
          + Create role
        </Link>
      </div>
      <p className="text-sm text-slate-600">
        Built-in roles are the same for every organization and cannot be changed; custom roles belong to{" "}
        <span className="font-mono">{session.userOrg.id}</span>. Users counts people in{" "}
        <span className="font-mono">{session.userOrg.id}</span> and the organizations below it.
      </p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Roles</caption>
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.label} scope="col" className={c.className ?? "px-4 py-3"}>
                  {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {roles.map((role) => (
              <tr key={role.id} className="border-t border-slate-100">
                <td className="px-4 py-3">
                  <Link
                    href={`/roles/${role.id}`}
                    aria-label={`Edit ${role.name}`}
                    className={buttonClass("ghost", "px-2 py-1")}
                  >
                    <PencilIcon />
                  </Link>
                </td>
                <th scope="row" className="px-4 py-3 font-medium">
                  {role.name}
                </th>
                <td className="px-4 py-3 text-slate-700">{role.description}</td>
                <td className="px-4 py-3">
                  {role.builtIn ? (
                    <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
                      Built-in
                    </span>
                  ) : (
                    <span className="rounded bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700">Custom</span>
                  )}
                </td>
                <td className="px-4 py-3 text-right tabular-nums">{role.userCount}</td>
                <td className="px-4 py-3">{!role.builtIn && <DeleteRoleButton roleId={role.id} name={role.name} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function PencilIcon() {
  return (
    <svg aria-hidden viewBox="0 0 20 20" className="size-4" fill="currentColor">
      <path d="M13.6 2.6a2 2 0 0 1 2.8 0l1 1a2 2 0 0 1 0 2.8L8 15.8 3 17l1.2-5 9.4-9.4Zm-8 10-.5 2.3 2.3-.5 7.6-7.6-1.8-1.8-7.6 7.6Z" />
    </svg>
  );
}
