/** An honest placeholder for a page that is planned but not built yet. */
export function ComingSoon({ title, what }: { title: string; what: string }) {
  return (
    <section
      aria-labelledby="coming-soon-title"
      className="rounded-lg border border-dashed border-slate-300 bg-white p-8"
    >
      <h1 id="coming-soon-title" className="text-xl font-semibold">
        {title}
      </h1>
      <p className="mt-2 text-slate-600">Coming soon: {what}</p>
    </section>
  );
}
