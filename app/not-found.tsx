import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg p-10 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600">
        It may have been moved or deleted, or it belongs to an organization you cannot see.
      </p>
      <Link className="mt-6 inline-block text-brand-600 underline" href="/dashboard">
        Back to the Dashboard
      </Link>
    </main>
  );
}
