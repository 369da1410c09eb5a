import Link from "next/link";
import { Button, buttonClass } from "./button";

/**
 * The one pagination of the portal: what is shown ("Page 2 of 400+"), then Previous / Next.
 * PageLinks is for server-paginated pages (links to `href(page)`, the URL holds the page);
 * Pager is the same control for a list held in a component's state (buttons call `onPage`).
 */
function PaginationNav({
  label = "Pagination",
  children,
  previous,
  next,
}: {
  label?: string;
  children: React.ReactNode;
  previous: React.ReactNode;
  next: React.ReactNode;
}) {
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3 text-sm">
      {children}
      <span className="flex gap-2">
        {previous}
        {next}
      </span>
    </nav>
  );
}

/** Pagination under a server-paginated list: Previous / Next links to `href(page)`. */
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
    <PaginationNav
      previous={
        page > 1 && (
          <Link className={buttonClass("secondary")} href={href(page - 1)}>
            Previous
          </Link>
        )
      }
      next={
        page < pageCount && (
          <Link className={buttonClass("secondary")} href={href(page + 1)}>
            Next
          </Link>
        )
      }
    >
      {children}
    </PaginationNav>
  );
}

/**
 * Pagination of a list held in state (a dialog's search, Edit Key's assigned MIDs): the same
 * control as PageLinks with buttons; they stay in place (disabled at either end) so focus is
 * not lost when the last page is reached. `children` defaults to "Page 2 of 5".
 */
export function Pager({
  page,
  pageCount,
  onPage,
  disabled = false,
  label,
  children,
}: {
  page: number;
  pageCount: number;
  onPage: (page: number) => void;
  /** While a page loads. */
  disabled?: boolean;
  /** The navigation's accessible name when a page has more than one ("MIDs pagination"). */
  label?: string;
  children?: React.ReactNode;
}) {
  return (
    <PaginationNav
      label={label}
      previous={
        <Button variant="secondary" disabled={disabled || page <= 1} onClick={() => onPage(page - 1)}>
          Previous
        </Button>
      }
      next={
        <Button variant="secondary" disabled={disabled || page >= pageCount} onClick={() => onPage(page + 1)}>
          Next
        </Button>
      }
    >
      {children ?? (
        <span>
          Page {page} of {pageCount}
        </span>
      )}
    </PaginationNav>
  );
}
