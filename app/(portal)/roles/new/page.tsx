import type { Metadata } from "next";
import Link from "next/link";
import { RoleForm } from "@/components/roles/role-form";
import { requirePageSession } from "@/lib/auth/page";
import { getRole } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Create role" };

export default async function CreateRolePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requirePageSession("roles.manage");
  const from = (await searchParams).from;
  const template = typeof from === "string" ? await getRole({ org: session.userOrg, roleId: from }) : null;
  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/roles" className="text-brand-700 underline">
          Roles
        </Link>
      </nav>
      <h1 className="text-2xl font-semibold">Create role</h1>
      {template && (
        <p className="text-sm text-slate-600">
          Starting from the permissions of <strong>{template.name}</strong>.
        </p>
      )}
      <RoleForm
        initial={{
          name: template ? `Copy of ${template.name}` : "",
          description: template?.description ?? "",
          permissions: template?.permissions ?? [],
        }}
      />
    </div>
  );
}
