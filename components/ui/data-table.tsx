"use client";

import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type OnChangeFn,
  type RowData,
  type RowSelectionState,
} from "@tanstack/react-table";
import clsx from "clsx";
import Link from "next/link";
import { ScrollRegion } from "./scroll-region";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the interface's shape is TanStack's
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Classes of the column's cells (th and td). */
    className?: string;
    /** The column's header is visually hidden (its name stays for screen readers). */
    srOnlyHeader?: boolean;
    /** The column is sorted on the server: `sortHref` gives the link for each direction. */
    serverSort?: boolean;
  }
}

/** The sort the server applied: which column, which direction. */
export interface ServerSort {
  id: string;
  desc: boolean;
}

/**
 * A table on TanStack Table (v8, headless): column definitions, rows as given (the server has
 * filtered, sorted and paginated them: a page, never the whole list), sort links in the header
 * of columns the server sorts by (`meta.serverSort`), optional row selection, an empty-state row,
 * and a ScrollRegion around it so keyboard users reach every column of a wide table.
 */
export function DataTable<T>({
  columns,
  data,
  caption,
  label,
  getRowId,
  sort,
  sortHref,
  rowSelection,
  onRowSelectionChange,
  enableRowSelection,
  empty = "Nothing to show.",
  regionClassName,
  headClassName = "bg-slate-50 text-xs uppercase tracking-wide text-slate-600",
  rowClassName = "border-t border-slate-100",
  rowAttributes,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TanStack's column value types vary per column
  columns: ColumnDef<T, any>[];
  data: T[];
  /** The table's accessible name (a caption, visually hidden). */
  caption: string;
  /** The scrolling region's name; unique on the page. Defaults to the caption. */
  label?: string;
  getRowId?: (row: T) => string;
  /** The sort the server applied (manual sorting: the rows come sorted). */
  sort?: ServerSort;
  /** Where a sort link goes: the same search sorted by `id`, descending or not. */
  sortHref?: (id: string, desc: boolean) => string;
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: OnChangeFn<RowSelectionState>;
  enableRowSelection?: boolean;
  /** Shown in one full-width row when there are no rows. */
  empty?: React.ReactNode;
  regionClassName?: string;
  headClassName?: string;
  rowClassName?: string;
  /** Data attributes of a row's tr (e.g. a test id the end-to-end tests find rows by). */
  rowAttributes?: (row: T) => Record<`data-${string}`, string>;
}) {
  // TanStack Table returns functions that are not memoizable; the React Compiler skips it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: getRowId ? (row) => getRowId(row) : undefined,
    manualSorting: true,
    manualPagination: true,
    enableRowSelection: enableRowSelection ?? Boolean(onRowSelectionChange),
    state: {
      sorting: sort ? [sort] : [],
      ...(rowSelection ? { rowSelection } : {}),
    },
    onRowSelectionChange,
  });
  const columnCount = table.getVisibleLeafColumns().length;

  return (
    <ScrollRegion label={label ?? caption} className={regionClassName}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className={headClassName}>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta;
                const sorted = sort?.id === header.column.id ? (sort.desc ? "descending" : "ascending") : undefined;
                const content = header.isPlaceholder
                  ? null
                  : flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={meta?.serverSort ? (sorted ?? "none") : undefined}
                    className={clsx("px-3 py-2 whitespace-nowrap", meta?.className)}
                  >
                    {meta?.serverSort && sortHref ? (
                      <Link
                        href={sortHref(header.column.id, sorted === "ascending")}
                        className="inline-flex items-center gap-1 rounded underline-offset-2 hover:underline focus-visible:outline-2"
                      >
                        <span className="sr-only">Sort by </span>
                        {content}
                        <span aria-hidden className="text-[0.7rem]">
                          {sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : "↕"}
                        </span>
                      </Link>
                    ) : meta?.srOnlyHeader ? (
                      <span className="sr-only">{content}</span>
                    ) : (
                      content
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.length === 0 ? (
            <tr className={rowClassName}>
              <td colSpan={columnCount} className="px-3 py-6 text-center text-slate-600">
                {empty}
              </td>
            </tr>
          ) : (
            table.getRowModel().rows.map((row) => (
              <tr
                key={row.id}
                {...rowAttributes?.(row.original)}
                className={clsx(rowClassName, row.getIsSelected() && "bg-brand-50")}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={clsx("px-3 py-2", cell.column.columnDef.meta?.className)}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/**
 * The check-box column of a selectable table: "select every row on this page" in the header,
 * one box per row; names come from `labels` (the boxes are reached with Tab, toggled with Space).
 */
export function selectColumn<T>({
  all,
  row: rowLabel,
  disabled = false,
  forceChecked = false,
}: {
  all: string;
  row: (row: T) => string;
  /** Every box is disabled (e.g. "select all matching" took over). */
  disabled?: boolean;
  /** Every box shows as checked (with `disabled`). */
  forceChecked?: boolean;
}): ColumnDef<T> {
  return {
    id: "select",
    meta: { className: "w-10" },
    header: ({ table }) => (
      <input
        type="checkbox"
        aria-label={all}
        checked={forceChecked || table.getIsAllPageRowsSelected()}
        disabled={disabled}
        ref={(el) => {
          if (el) el.indeterminate = !forceChecked && table.getIsSomePageRowsSelected();
        }}
        onChange={table.getToggleAllPageRowsSelectedHandler()}
      />
    ),
    cell: ({ row }) => (
      <input
        type="checkbox"
        aria-label={rowLabel(row.original)}
        checked={forceChecked || row.getIsSelected()}
        disabled={disabled || !row.getCanSelect()}
        onChange={row.getToggleSelectedHandler()}
      />
    ),
  };
}
