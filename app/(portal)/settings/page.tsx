import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requirePageSession } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Settings" };

export default async function Page() {
  await requirePageSession("settings.manage");
  return <ComingSoon title="Settings" what="the meta-key feature switch and security profiles." />;
}
