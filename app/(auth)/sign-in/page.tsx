import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { sessionCookieDropped } from "@/lib/auth/auth";
import { firstRunPending } from "@/lib/auth/first-run";
import { getPortalSession } from "@/lib/auth/session";
import { addressMismatch } from "@/lib/public-url";
import { AddressAdvice } from "./address-advice";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  setup: "KeyCenter is set up. Sign in with the email and password you chose.",
  invitation: "Your password is set. Sign in with your email and that password.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ done?: string | string[] }> }) {
  if (await getPortalSession()) redirect("/dashboard");
  const done = (await searchParams).done;
  const notice = typeof done === "string" && Object.hasOwn(NOTICES, done) ? NOTICES[done] : undefined;
  const h = await headers();
  return (
    <AuthCard title="Sign in to the Business Center">
      {/* Why a correct password would not (or did not) keep anyone signed in at this address. */}
      <AddressAdvice dropped={sessionCookieDropped(h)} mismatch={addressMismatch(h)} />
      {notice && (
        <p
          role="status"
          className="mb-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800"
        >
          {notice}
        </p>
      )}
      {(await firstRunPending()) && (
        <p className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          This KeyCenter has no users yet.{" "}
          <Link href="/setup" className="font-medium underline">
            Set it up
          </Link>{" "}
          first: create the top organization and its first Administrator.
        </p>
      )}
      <SignInForm />
    </AuthCard>
  );
}
