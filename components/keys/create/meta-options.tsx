"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogTitle,
} from "@/components/ui/dialog";
import { Panel } from "@/components/ui/panel";
import { midCount } from "@/lib/keys/coverage-labels";
import { MidPicker, type MidSelection } from "./mid-picker";

/** The Assign step's choices: every MID (now and later), or the ones picked next. */
const SCOPES = [
  {
    value: "ALL",
    label: "All current and future Merchant IDs",
    hint: "Every transacting MID below this organization, also ones added later.",
  },
  {
    value: "CUSTOM",
    label: "Custom Merchant ID selection",
    hint: "Only the MIDs you choose; not extended to future MIDs.",
  },
] as const;

/** What a create form sends along: the meta-key choices as JSON, or nothing. */
export type MetaExtra = Record<string, string>;

/**
 * The guide's meta-key steps before a key is made: the **Key options** window (**Create as a
 * Meta-Key**, **Continue**), then **All current and future Merchant IDs** or **Custom
 * Merchant ID selection** (**Create key**), then for a custom selection **+ Add custom
 * merchant ids** → Add Custom Merchant IDs → **Submit** → **Create key**. With `onChoose` (a key
 * made without a form, REST – Shared Secret) that last click makes the key: no extra Generate key.
 * `metaRequired`: the key can only be a meta key (a portfolio user's shared secret), said up front.
 * Cancel or Escape in Key options goes back to choosing a key type.
 */
export function MetaKeyOptions({
  children,
  onChoose,
  metaRequired = false,
}: {
  children: (extra: MetaExtra, summary?: string) => React.ReactNode;
  /** Called with the choices as they are made (the form then shows the result). */
  onChoose?: (extra: MetaExtra) => void;
  metaRequired?: boolean;
}) {
  const router = useRouter();
  const [step, setStep] = useState<"options" | "assign" | "custom" | "form">("options");
  const [asMeta, setAsMeta] = useState(metaRequired);
  const [scope, setScope] = useState<"ALL" | "CUSTOM">("ALL");
  const [selection, setSelection] = useState<MidSelection>();
  const [extra, setExtra] = useState<MetaExtra>({});
  const [summary, setSummary] = useState<string>();

  /** The choices are made: the form comes next, or (onChoose) the key is made now. */
  function done(next: MetaExtra, text?: string) {
    setExtra(next);
    setSummary(text);
    setStep("form");
    onChoose?.(next);
  }

  /** A custom selection (Submit in Add Custom Merchant IDs) is the choice. */
  function doneCustom({ mids, allMatching, count }: MidSelection) {
    done(
      { meta: JSON.stringify({ scope: "CUSTOM", mids, allMatching }) },
      `Custom Merchant ID selection (${midCount(count)})`,
    );
  }

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
      <Dialog
        open={step === "options"}
        onOpenChange={(open) => {
          if (!open) router.push("/keys/new");
        }}
      >
        <DialogContent>
          <DialogTitle>Key options</DialogTitle>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={asMeta}
              disabled={metaRequired}
              onChange={(e) => setAsMeta(e.target.checked)}
            />
            Create as a Meta-Key
          </label>
          <DialogDescription className="text-xs text-slate-600">
            {metaRequired
              ? "Portfolio and account users create this key type as a meta key only: next, choose the merchant IDs it serves."
              : "A meta key lets this organization process transactions for many of its transacting merchant IDs. Do not give a meta key to transacting MID users."}
          </DialogDescription>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button
              onClick={() => {
                if (asMeta) setStep("assign");
                else done({});
              }}
            >
              Continue
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>

      {step === "assign" && (
        <Step
          id="assign"
          title="Assign this meta key"
          onCreate={() => {
            if (scope === "ALL")
              done({ meta: JSON.stringify({ scope: "ALL" }) }, "All current and future Merchant IDs");
            else setStep("custom");
          }}
        >
          <fieldset className="flex flex-col gap-2 text-sm">
            <legend className="sr-only">Merchant IDs</legend>
            {SCOPES.map((choice) => (
              <label key={choice.value} className="flex items-start gap-2">
                <input
                  type="radio"
                  name="scope"
                  checked={scope === choice.value}
                  onChange={() => setScope(choice.value)}
                  className="mt-1"
                />
                <span>
                  {choice.label}
                  <span className="block text-xs text-slate-500">{choice.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
        </Step>
      )}

      {step === "custom" && (
        <Step
          id="custom"
          title="Custom Merchant ID selection"
          onCreate={selection ? () => doneCustom(selection) : undefined}
        >
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
        </Step>
      )}
    </>
  );
}

/** A step after Key options: a titled panel that ends in Create key (disabled without `onCreate`). */
function Step({
  id,
  title,
  onCreate,
  children,
}: {
  id: string;
  title: string;
  onCreate?: () => void;
  children: React.ReactNode;
}) {
  return (
    <Panel id={id} title={title} className="max-w-xl">
      {children}
      <div>
        <Button disabled={!onCreate} onClick={onCreate}>
          Create key
        </Button>
      </div>
    </Panel>
  );
}
