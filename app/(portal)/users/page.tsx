import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requirePageSession } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Users" };

export default async function Page() {
  await requirePageSession("users.manage");
  return <ComingSoon title="Users" what="create users, assign roles, disable users and reset their second factor." />;
}
