import clsx from "clsx";

/** A titled white panel: a section named by its heading (aria-labelledby), content in a column. */
export function Panel({
  id,
  title,
  children,
  className,
}: {
  /** The heading's id; unique on the page. */
  id: string;
  title: React.ReactNode;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-labelledby={id}
      className={clsx("flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-6", className)}
    >
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
