"use client";

import { useState, useTransition } from "react";
import { coverageTreeAction } from "@/lib/actions/keys/coverage-tree";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { Pager } from "@/components/ui/page-links";
import { coverageLabel } from "@/lib/keys/coverage-labels";
import type { CoverageGroup, CoverageMid, CoverageTree as Tree } from "@/lib/keys/coverage-tree";

const PAGE = 50;

/**
 * A meta key's coverage drawn as its hierarchy (portfolio → accounts → MIDs), nested lists of
 * details/summary (keyboard and screen readers get expand/collapse for free). A node with more
 * than 50 children starts collapsed with its counts; an account's MIDs load 50 at a time when
 * it is opened. Covered MIDs carry a "Covered" mark, the others "Not covered".
 */
export function CoverageTree({ keyId, initial }: { keyId: string; initial: Tree }) {
  const [tree, setTree] = useState(initial);
  // An account owner's MIDs are the root's children.
  const rootMids = useMidPages(keyId, initial.owner.id, initial.mids);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const groupPages = Math.max(1, Math.ceil(tree.groupCount / PAGE));

  function groupPage(page: number) {
    start(async () => {
      const r = await coverageTreeAction({ keyId, page });
      if (!r.ok) return setError(r.error.message);
      if (r.data.kind === "groups" && r.data.tree) setTree(r.data.tree);
    });
  }

  return (
    <section aria-labelledby="coverage" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="coverage" className="text-lg font-semibold">
        Merchant ID coverage
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        {tree.all
          ? "All current and future MIDs: every MID below is covered, and MIDs added later will be."
          : "Custom MID selection: the MIDs marked Covered use this key."}
      </p>
      <ul aria-label="Coverage tree" className="text-sm">
        <li>
          <details
            open={tree.groups ? tree.groupCount <= PAGE : tree.total <= PAGE}
            onToggle={(e) => !tree.groups && e.currentTarget.open && rootMids.open()}
          >
            <summary className="cursor-pointer py-1">
              <NodeName id={tree.owner.id} name={tree.owner.name} />
              <Counts total={tree.total} covered={tree.covered} />
            </summary>
            {tree.groups ? (
              <>
                <ul className="ml-5 border-l border-slate-200 pl-3">
                  {tree.groups.map((g) => (
                    <GroupNode key={`${tree.groupPage}-${g.id ?? ""}`} keyId={keyId} group={g} />
                  ))}
                </ul>
                {groupPages > 1 && (
                  <div className="ml-5 mt-2">
                    <Pager
                      page={tree.groupPage}
                      pageCount={groupPages}
                      onPage={groupPage}
                      disabled={pending}
                      label="Accounts pages"
                    >
                      <span>
                        Accounts page {tree.groupPage} of {groupPages}
                      </span>
                    </Pager>
                  </div>
                )}
              </>
            ) : (
              <MidList account={tree.owner.id} pages={rootMids} />
            )}
          </details>
        </li>
      </ul>
      <FormError message={error} />
    </section>
  );
}

function NodeName({ id, name }: { id: string | null; name: string }) {
  return (
    <>
      {id && <span className="font-mono font-medium">{id}</span>}
      {id && " · "}
      <span>{name}</span>
    </>
  );
}

function Counts({ total, covered }: { total: number; covered: number }) {
  return (
    <span className="ml-2 text-slate-600" data-testid="coverage-counts">
      {" "}
      ({coverageLabel(total, covered)})
    </span>
  );
}

function GroupNode({ keyId, group }: { keyId: string; group: CoverageGroup }) {
  const pages = useMidPages(keyId, group.id, group.mids);
  return (
    <li>
      <details open={!!group.mids} onToggle={(e) => e.currentTarget.open && pages.open()}>
        <summary className="cursor-pointer py-1">
          <NodeName id={group.id} name={group.name} />
          <Counts total={group.total} covered={group.covered} />
        </summary>
        <MidList account={group.id} pages={pages} />
      </details>
    </li>
  );
}

/** An account's MIDs: the first page given, or loaded when it is first opened; then 50 more at a time. */
function useMidPages(keyId: string, account: string | null, initial?: CoverageMid[]) {
  const [mids, setMids] = useState<CoverageMid[]>(initial ?? []);
  const [page, setPage] = useState(initial ? 1 : 0);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();

  function more() {
    start(async () => {
      const r = await coverageTreeAction({ keyId, account, page: page + 1 });
      if (!r.ok) return setError(r.error.message);
      if (r.data.kind !== "mids") return;
      const next = r.data;
      setMids((m) => [...m, ...next.mids]);
      setPage(next.page);
      setHasMore(next.hasMore);
    });
  }
  return { mids, hasMore, error, pending, more, open: () => page === 0 && !pending && more() };
}

function MidList({ account, pages }: { account: string | null; pages: ReturnType<typeof useMidPages> }) {
  const { mids, hasMore, error, pending, more } = pages;
  return (
    <div className="ml-5 border-l border-slate-200 pl-3">
      {mids.length === 0 && pending && <p className="py-1 text-slate-500">Loading MIDs…</p>}
      <ul aria-label={`MIDs of ${account ?? "the portfolio"}`}>
        {mids.map((m) => (
          <li key={m.id} className="flex items-center gap-2 py-0.5">
            <span
              className={
                m.covered
                  ? "rounded bg-emerald-100 px-1.5 text-xs font-semibold text-emerald-900"
                  : "rounded bg-slate-100 px-1.5 text-xs text-slate-700"
              }
            >
              {m.covered ? "Covered" : "Not covered"}
            </span>
            <span className="font-mono">{m.id}</span>
            <span className="text-slate-600">{m.name}</span>
          </li>
        ))}
      </ul>
      {hasMore && (
        <Button variant="secondary" pending={pending} onClick={more} className="my-1">
          Show 50 more MIDs
        </Button>
      )}
      <FormError message={error} />
    </div>
  );
}
