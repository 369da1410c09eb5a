import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getPortalSession } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage() {
  if (await getPortalSession()) redirect("/dashboard");
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">KeyCenter</p>
        <h1 className="mb-6 mt-1 text-2xl font-semibold">Sign in to the Business Center</h1>
        <SignInForm />
      </div>
    </main>
  );
}
