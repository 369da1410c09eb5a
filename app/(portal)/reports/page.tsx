import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requirePageSession } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Reports" };

export default async function Page() {
  await requirePageSession("reports.download");
  return (
    <ComingSoon
      title="Reports"
      what="Account Updater response files and Notice of Change reports, encrypted to your PGP key."
    />
  );
}
