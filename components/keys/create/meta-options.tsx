"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { MidPicker, type MidSelection } from "./mid-picker";

/** What a create form sends along: the meta-key choices as JSON, or nothing. */
export type MetaExtra = Record<string, string>;

/**
 * The guide's meta-key steps before a key is made: the **Key options** window (**Create as a
 * Meta-Key**, **Continue**), then **All current and future Merchant IDs** or **Custom
 * Merchant ID selection** (**Create key**), then for a custom selection **+ Add custom
 * merchant ids** → Add Custom Merchant IDs → **Submit** → **Create key**.
 */
export function MetaKeyOptions({ children }: { children: (extra: MetaExtra, summary?: string) => React.ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [step, setStep] = useState<"options" | "assign" | "custom" | "form">("options");
  const [asMeta, setAsMeta] = useState(false);
  const [scope, setScope] = useState<"ALL" | "CUSTOM">("ALL");
  const [selection, setSelection] = useState<MidSelection>();
  const [extra, setExtra] = useState<MetaExtra>({});
  const [summary, setSummary] = useState<string>();

  useEffect(() => {
    if (step === "options" && !dialog.current?.open) dialog.current?.showModal();
  }, [step]);

  if (step === "form") {
    return (
      <div className="flex flex-col gap-4">
        {summary && (
          <p
            className="rounded-md border border-violet-200 bg-violet-50 p-3 text-sm text-violet-900"
            data-testid="meta-summary"
          >
            Meta key: {summary}
          </p>
        )}
        {children(extra, summary)}
      </div>
    );
  }

  return (
    <>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onCancel={(e) => e.preventDefault()}
        className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl"
      >
        <div className="flex flex-col gap-4 p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            Key options
          </h2>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={asMeta} onChange={(e) => setAsMeta(e.target.checked)} />
            Create as a Meta-Key
          </label>
          <p className="text-xs text-slate-500">
            A meta key lets this organization process transactions for many of its transacting merchant IDs. Do not give
            a meta key to transacting MID users.
          </p>
          <div className="flex justify-end">
            <Button
              onClick={() => {
                dialog.current?.close();
                setStep(asMeta ? "assign" : "form");
              }}
            >
              Continue
            </Button>
          </div>
        </div>
      </dialog>

      {step === "assign" && (
        <section
          aria-labelledby="assign"
          className="flex max-w-xl flex-col gap-4 rounded-lg border border-slate-200 bg-white p-6"
        >
          <h2 id="assign" className="font-semibold">
            Assign this meta key
          </h2>
          <fieldset className="flex flex-col gap-2 text-sm">
            <legend className="sr-only">Merchant IDs</legend>
            <label className="flex items-start gap-2">
              <input
                type="radio"
                name="scope"
                checked={scope === "ALL"}
                onChange={() => setScope("ALL")}
                className="mt-1"
              />
              <span>
                All current and future Merchant IDs
                <span className="block text-xs text-slate-500">
                  Every transacting MID below this organization, also ones added later.
                </span>
              </span>
            </label>
            <label className="flex items-start gap-2">
              <input
                type="radio"
                name="scope"
                checked={scope === "CUSTOM"}
                onChange={() => setScope("CUSTOM")}
                className="mt-1"
              />
              <span>
                Custom Merchant ID selection
                <span className="block text-xs text-slate-500">
                  Only the MIDs you choose; not extended to future MIDs.
                </span>
              </span>
            </label>
          </fieldset>
          <div>
            <Button
              onClick={() => {
                if (scope === "ALL") {
                  setExtra({ meta: JSON.stringify({ scope: "ALL" }) });
                  setSummary("All current and future Merchant IDs");
                  setStep("form");
                } else setStep("custom");
              }}
            >
              Create key
            </Button>
          </div>
        </section>
      )}

      {step === "custom" && (
        <section
          aria-labelledby="custom"
          className="flex max-w-xl flex-col gap-4 rounded-lg border border-slate-200 bg-white p-6"
        >
          <h2 id="custom" className="font-semibold">
            Custom Merchant ID selection
          </h2>
          <MidPicker onSubmit={setSelection} />
          <p className="text-sm" role="status">
            {selection
              ? `${selection.count.toLocaleString()} merchant ID${selection.count === 1 ? "" : "s"} selected${selection.allMatching ? " (all matching the filter)" : ""}.`
              : "No merchant IDs selected yet."}
          </p>
          {selection && !selection.allMatching && selection.mids.length <= 20 && (
            <ul className="flex flex-wrap gap-2 text-xs" aria-label="Selected merchant IDs">
              {selection.mids.map((m) => (
                <li key={m} className="rounded bg-slate-100 px-2 py-1 font-mono">
                  {m}
                </li>
              ))}
            </ul>
          )}
          <div>
            <Button
              disabled={!selection}
              onClick={() => {
                if (!selection) return;
                setExtra({
                  meta: JSON.stringify({ scope: "CUSTOM", mids: selection.mids, allMatching: selection.allMatching }),
                });
                setSummary(`Custom Merchant ID selection (${selection.count.toLocaleString()} merchant IDs)`);
                setStep("form");
              }}
            >
              Create key
            </Button>
          </div>
        </section>
      )}
    </>
  );
}
