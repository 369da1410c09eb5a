import type { Metadata } from "next";
import Link from "next/link";
import { RoleForm } from "@/components/roles/role-form";
import { requirePageSession } from "@/lib/auth/page";
import { getRole } from "@/lib/auth/roles";
import { firstParam, hasUnsupportedCharacters } from "@/lib/validation";

export const metadata: Metadata = { title: "Create role" };

export default async function CreateRolePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requirePageSession("roles.manage");
  // A role to copy; an ID no role can have (too long, unsupported characters) copies nothing.
  const from = firstParam(await searchParams, "from");
  const template =
    from && from.length <= 200 && !hasUnsupportedCharacters(from)
      ? await getRole({ org: session.userOrg, roleId: from })
      : null;
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
          // Only what the caller may give (lib/auth/grants.ts).
          permissions: template?.permissions.filter((p) => session.permissions.has(p)) ?? [],
        }}
        held={[...session.permissions]}
      />
    </div>
  );
}
