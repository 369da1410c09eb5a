import type { Metadata } from "next";
import Link from "next/link";
import { RolesTable } from "@/components/roles/roles-table";
import { buttonClass } from "@/components/ui/button";
import { requirePageSession } from "@/lib/auth/page";
import { listRoles } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Roles" };

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
      <RolesTable
        rows={roles.map((r) => ({
          id: r.id,
          name: r.name,
          description: r.description,
          builtIn: r.builtIn,
          userCount: r.userCount,
        }))}
      />
    </div>
  );
}
