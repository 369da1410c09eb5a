import Link from "next/link";
import { buttonClass } from "./button";

/** Pagination under a list: what is shown, and Previous / Next links to `href(page)`. */
export function PageLinks({
  page,
  pageCount,
  href,
  children,
}: {
  page: number;
  pageCount: number;
  href: (page: number) => string;
  /** What is shown ("Page 2 of 5 · 120 reports"). */
  children: React.ReactNode;
}) {
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between text-sm">
      {children}
      <span className="flex gap-2">
        {page > 1 && (
          <Link className={buttonClass("secondary")} href={href(page - 1)}>
            Previous
          </Link>
        )}
        {page < pageCount && (
          <Link className={buttonClass("secondary")} href={href(page + 1)}>
            Next
          </Link>
        )}
      </span>
    </nav>
  );
}
