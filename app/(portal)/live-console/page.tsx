import type { Metadata } from "next";
import Link from "next/link";
import { LiveConsoleForm } from "@/components/live-console/console-form";
import { requirePageSession } from "@/lib/auth/page";
import { SAMPLE_PAYMENT } from "@/lib/gateway/client";

export const metadata: Metadata = { title: "Live Console" };

export default async function LiveConsolePage() {
  const session = await requirePageSession("transactions.view");
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Live Console</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        Try your keys against this KeyCenter&apos;s test gateway: enter your organization ID with a key and shared
        secret, or upload a .p12 with its password, edit the sample payment and click Send. What you enter here is used
        for this request only and never stored.
      </p>
      <p className="text-sm">
        <Link href="/live-console/checkout" className="text-blue-700 underline">
          Try a Secure Acceptance checkout
        </Link>{" "}
        with a profile&apos;s access key and secret key.
      </p>
      <p className="max-w-3xl text-sm text-slate-600">
        Simple Order API clients send their SOAP requests, signed with a Simple Order API .p12, to{" "}
        <code className="rounded bg-slate-100 px-1">/commerce/1.x/transactionProcessor</code> on this server.
      </p>
      {session.environment === "PRODUCTION" && (
        <p role="note" className="max-w-3xl rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          You are working in Production. This is the test gateway: it accepts only keys of the Test environment, so a
          production key is refused here. Switch to Test to try one.
        </p>
      )}
      <LiveConsoleForm merchantId={session.actingOrg.id} sample={SAMPLE_PAYMENT} />
    </div>
  );
}
