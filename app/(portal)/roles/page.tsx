import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requirePageSession } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Roles" };

export default async function Page() {
  await requirePageSession("roles.manage");
  return <ComingSoon title="Roles" what="list roles and edit their permissions (Edit User Role)." />;
}
