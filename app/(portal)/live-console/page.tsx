import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requirePageSession } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Live Console" };

export default async function Page() {
  await requirePageSession("transactions.view");
  return <ComingSoon title="Live Console" what="send a signed test payment with your key and see the answer." />;
}
