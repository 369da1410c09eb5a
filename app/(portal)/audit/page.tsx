import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requirePageSession } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Audit" };

export default async function Page() {
  await requirePageSession("audit.view");
  return <ComingSoon title="Audit" what="every change and sign-in, with filters, export and chain verification." />;
}
