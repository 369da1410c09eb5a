"use client";

import clsx from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { NavGroup } from "./nav";

/**
 * `groups`: the navigation this person may use (nav.ts navFor); `badges`: a count shown beside
 * an item (e.g. unread notifications), by href.
 */
export function SideNav({ groups, badges = {} }: { groups: NavGroup[]; badges?: Record<string, number> }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-5 p-4 text-sm">
      {groups.map((group, i) => (
        <div key={group.section ?? `top-${i}`}>
          {group.section && (
            <p className="mb-1 px-2 text-xs font-semibold uppercase tracking-wide text-slate-400">{group.section}</p>
          )}
          <ul className="flex flex-col gap-0.5">
            {group.items.map((item) => {
              const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    className={clsx(
                      "block rounded-md px-2 py-1.5",
                      active ? "bg-brand-600 text-white" : "text-slate-200 hover:bg-slate-800",
                    )}
                  >
                    {item.label}
                    {(badges[item.href] ?? 0) > 0 && (
                      <>
                        {" "}
                        <span className="ml-1 rounded-full bg-amber-400 px-1.5 py-0.5 text-xs font-semibold text-slate-900">
                          {badges[item.href]}
                          <span className="sr-only"> unread</span>
                        </span>
                      </>
                    )}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
