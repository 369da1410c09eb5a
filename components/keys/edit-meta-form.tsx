"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { editMetaKeyAction } from "@/lib/actions/keys/edit-meta-key";
import { listAssignmentsAction } from "@/lib/actions/keys/list-meta-key-assignments";
import { withStepUp } from "@/components/auth/step-up";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { Pager } from "@/components/ui/page-links";
import { midCount } from "@/lib/keys/coverage-labels";
import { metaEditMessage } from "@/lib/keys/meta-messages";
import { MidPicker, type MidSelection } from "./create/mid-picker";

/** Edit Key: Meta Key, All current and future MIDs / Custom MID selection, add or remove MIDs, Submit. */
export function EditMetaForm({ keyId, scope }: { keyId: string; scope: "ALL" | "CUSTOM" | null }) {
  const router = useRouter();
  const [meta, setMeta] = useState(scope !== null);
  const [mode, setMode] = useState<"ALL" | "CUSTOM">(scope ?? "ALL");
  const [added, setAdded] = useState<MidSelection>();
  const [assigned, setAssigned] = useState<{ total: number; mids: string[]; pageCount: number }>();
  const [page, setPage] = useState(1);
  const [removed, setRemoved] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [pending, start] = useTransition();
  // Bumped after each successful Submit: the assigned list is read again (M3).
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (scope !== "CUSTOM") return;
    void listAssignmentsAction({ keyId, page }).then((r) => {
      if (!r.ok) return;
      // Removing the last MIDs of the last page: show the page that is now last.
      if (page > r.data.pageCount) setPage(r.data.pageCount);
      else setAssigned(r.data);
    });
  }, [keyId, page, scope, version]);

  function submit() {
    setMessage(undefined);
    const edit = !meta
      ? { meta: false as const }
      : mode === "ALL"
        ? { meta: true as const, scope: "ALL" as const }
        : {
            meta: true as const,
            scope: "CUSTOM" as const,
            add: added?.mids ?? [],
            addAllMatching: added?.allMatching,
            remove: [...removed],
          };
    start(async () => {
      const r = await withStepUp(() => editMetaKeyAction({ keyId, edit }));
      if (!r.ok) return setMessage({ ok: false, text: r.error.message });
      setMessage({
        ok: true,
        text: metaEditMessage({
          before: scope,
          after: r.data.scope,
          added: r.data.added,
          removed: r.data.removed,
          addedMids: added && !added.allMatching ? added.mids : undefined,
          removedMids: [...removed],
        }),
      });
      setAdded(undefined);
      setRemoved(new Set());
      if (r.data.scope !== "CUSTOM") setAssigned(undefined);
      setVersion((v) => v + 1);
      router.refresh();
    });
  }

  return (
    <div className="flex max-w-2xl flex-col gap-5 rounded-lg border border-slate-200 bg-white p-6">
      <label className="flex items-center gap-2 font-medium">
        <input type="checkbox" checked={meta} onChange={(e) => setMeta(e.target.checked)} />
        Meta Key
      </label>
      {!meta && scope !== null && (
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Submitting removes every assignment: the key stays, as a regular key of this organization.
        </p>
      )}
      {meta && (
        <fieldset className="flex flex-col gap-2 text-sm">
          <legend className="mb-1 font-medium">Merchant IDs</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="mode" checked={mode === "ALL"} onChange={() => setMode("ALL")} />
            All current and future MIDs
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="mode" checked={mode === "CUSTOM"} onChange={() => setMode("CUSTOM")} />
            Custom MID selection
          </label>
        </fieldset>
      )}
      {meta && mode === "CUSTOM" && (
        <div className="flex flex-col gap-3">
          <div className="flex items-center gap-3">
            <MidPicker onSubmit={setAdded} submitLabel="Save" />
            <span className="text-sm" role="status">
              {added ? `${midCount(added.count)} to add${added.allMatching ? " (all matching the filter)" : ""}` : ""}
            </span>
          </div>
          {assigned && (
            <div className="rounded-md border border-slate-200">
              <p className="border-b border-slate-100 px-3 py-2 text-sm font-medium">
                Assigned now: {midCount(assigned.total)}
                <span className="ml-2 font-normal text-slate-600">Check the MIDs to remove, then Submit.</span>
              </p>
              <ul className="max-h-64 overflow-y-auto text-sm" aria-label="Assigned merchant IDs">
                {assigned.mids.map((mid) => (
                  <li key={mid} className="border-b border-slate-50 px-3 py-1.5 last:border-0">
                    <label className="flex items-center gap-2">
                      <input
                        type="checkbox"
                        checked={removed.has(mid)}
                        onChange={(e) => {
                          const next = new Set(removed);
                          if (e.target.checked) next.add(mid);
                          else next.delete(mid);
                          setRemoved(next);
                        }}
                      />
                      <span>
                        <span className="sr-only">Remove </span>
                        <span className="font-mono">{mid}</span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
              {assigned.pageCount > 1 && (
                <div className="px-3 py-2">
                  <Pager page={page} pageCount={assigned.pageCount} onPage={setPage} label="Assigned MIDs pages" />
                </div>
              )}
            </div>
          )}
        </div>
      )}
      {message &&
        (message.ok ? (
          <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
            {message.text}
          </p>
        ) : (
          <FormError message={message.text} />
        ))}
      <div>
        <Button onClick={submit} pending={pending}>
          Submit
        </Button>
      </div>
    </div>
  );
}
