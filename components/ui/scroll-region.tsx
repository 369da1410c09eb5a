import clsx from "clsx";

/**
 * A box that scrolls sideways (a wide table, a long line of text) and that keyboard users can
 * reach: focusable, a region named by `label`, so arrow keys scroll what a mouse would.
 */
export function ScrollRegion({
  label,
  className = "rounded-lg border border-slate-200 bg-white",
  children,
}: {
  /** The region's accessible name, e.g. "Transactions"; unique on the page. */
  label: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={clsx("overflow-x-auto", className)}>
      {children}
    </div>
  );
}
