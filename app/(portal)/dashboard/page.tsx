import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { requirePageSession } from "@/lib/auth/page";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const session = await requirePageSession();
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Dashboard</h1>
      <section aria-labelledby="security-keys" className="rounded-lg border border-slate-200 bg-white p-6">
        <h2 id="security-keys" className="text-lg font-semibold">
          Security Keys
        </h2>
        <p className="mt-2 text-slate-600">
          Acting for <strong>{session.actingOrg.id}</strong>. Coming soon: keys that will expire soon, upcoming
          expirations per month and the key inventory by type.
        </p>
        <div className="mt-4 flex gap-3">
          <Link href="/keys" className={buttonClass("secondary")}>
            View All Keys
          </Link>
        </div>
      </section>
    </div>
  );
}
