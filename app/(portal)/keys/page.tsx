import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requirePageSession } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Key Management" };

export default async function Page() {
  await requirePageSession("keys.view");
  return (
    <ComingSoon title="Key Management" what="search filters, search results, Key Information, deactivate and delete." />
  );
}
