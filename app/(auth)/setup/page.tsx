import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { AuthCard } from "@/components/auth/auth-card";
import { firstRunPending } from "@/lib/auth/first-run";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up KeyCenter" };

/** Exists only while the database has no user (a real database's first run). */
export default async function SetupPage() {
  await connection();
  if (!(await firstRunPending())) notFound();
  return (
    <AuthCard title="Set up KeyCenter" wide>
      <p className="mb-6 text-sm text-slate-700">
        This database has no users yet. Create the top organization and its first Administrator; this page goes away
        once they exist.
      </p>
      <SetupForm />
    </AuthCard>
  );
}
