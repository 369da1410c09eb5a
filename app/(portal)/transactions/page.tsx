import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requirePageSession } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Transactions" };

export default async function Page() {
  await requirePageSession("transactions.view");
  return <ComingSoon title="Transactions" what="the requests that reached the test gateway." />;
}
