import type { Metadata } from "next";
import Link from "next/link";
import { CreateUserForm } from "@/components/users/create-user-form";
import { requirePageSession } from "@/lib/auth/page";
import { assignableRoles } from "@/lib/auth/users";
import { searchOrgsWithin } from "@/lib/orgs/search";

export const metadata: Metadata = { title: "Create user" };

export default async function CreateUserPage() {
  const session = await requirePageSession("users.manage");
  const [orgs, roles] = await Promise.all([searchOrgsWithin(session.actingOrg, "", 200), assignableRoles(session)]);
  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/users" className="text-brand-700 underline">
          Users
        </Link>{" "}
        / Create user
      </nav>
      <h1 className="text-2xl font-semibold">Create user</h1>
      <CreateUserForm orgs={orgs} roles={roles} />
    </div>
  );
}
