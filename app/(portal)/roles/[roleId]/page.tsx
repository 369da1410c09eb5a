import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeleteRoleButton } from "@/components/roles/delete-role-button";
import { RoleForm } from "@/components/roles/role-form";
import { holdsAll } from "@/lib/auth/grants";
import { buttonClass } from "@/components/ui/button";
import { requirePageSession } from "@/lib/auth/page";
import { getRole } from "@/lib/auth/roles";
import { firstParam, pathId } from "@/lib/validation";

export const metadata: Metadata = { title: "Edit User Role" };

export default async function EditUserRolePage({
  params,
  searchParams,
}: {
  params: Promise<{ roleId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requirePageSession("roles.manage");
  const roleId = pathId((await params).roleId);
  const role = roleId ? await getRole({ org: session.userOrg, roleId }) : null;
  if (!role) notFound();
  const created = firstParam(await searchParams, "created") === "1";
  const held = [...session.permissions];
  // A role holding more than the caller is not theirs to change or delete (lib/auth/grants.ts).
  const beyondCaller = !role.builtIn && !holdsAll(session.permissions, role.permissions);
  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/roles" className="text-brand-700 underline">
          Roles
        </Link>
      </nav>
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold">Edit User Role</h1>
        {!role.builtIn && !beyondCaller && (
          <span className="ml-auto">
            <DeleteRoleButton roleId={role.id} name={role.name} />
          </span>
        )}
      </div>
      {created && (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
          The role {role.name} has been created.
        </p>
      )}
      {role.builtIn && (
        <div className="flex flex-wrap items-center gap-4 rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          <p>
            <strong>{role.name}</strong> is a built-in role: its permissions cannot be changed. To grant a different
            set, create a custom role.
          </p>
          <Link href={`/roles/new?from=${encodeURIComponent(role.id)}`} className={buttonClass("secondary")}>
            Create a custom role from this one
          </Link>
        </div>
      )}
      {beyondCaller && (
        <p className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          <strong>{role.name}</strong> holds permissions you do not have, so only someone who has them can change or
          delete it.
        </p>
      )}
      <RoleForm
        roleId={role.builtIn || beyondCaller ? undefined : role.id}
        readOnly={role.builtIn || beyondCaller}
        held={held}
        initial={{ name: role.name, description: role.description, permissions: role.permissions }}
      />
    </div>
  );
}
