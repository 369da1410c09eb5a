import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg p-10 text-center">
      <h1 className="text-xl font-semibold">You do not have permission to open this page</h1>
      <p className="mt-2 text-slate-600">
        Your role does not include it for the organization you act for. Ask an administrator.
      </p>
      <Link className="mt-6 inline-block text-brand-600 underline" href="/dashboard">
        Back to the Dashboard
      </Link>
    </main>
  );
}
