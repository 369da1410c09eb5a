/** The card of the signed-out pages (sign-in, first-run set-up, invitation). */
export function AuthCard({ title, wide, children }: { title: string; wide?: boolean; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div
        className={`w-full ${wide ? "max-w-lg" : "max-w-sm"} rounded-xl border border-slate-200 bg-white p-8 shadow-sm`}
      >
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">KeyCenter</p>
        <h1 className="mb-6 mt-1 text-2xl font-semibold">{title}</h1>
        {children}
      </div>
    </main>
  );
}
