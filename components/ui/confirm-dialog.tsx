"use client";

import { useId, useRef, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/action-result";
import { Button } from "./button";
import { FormError } from "./field";

/**
 * A button that opens a modal confirmation (native <dialog>: focus moves into it, Escape
 * closes it) and runs `onConfirm` with progress; an error stays in the window.
 */
export function ConfirmDialog(props: {
  trigger: React.ReactNode;
  triggerLabel?: string;
  triggerVariant?: "primary" | "secondary" | "danger" | "ghost";
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  onConfirm: () => Promise<ActionResult<unknown>>;
  onDone?: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  return (
    <>
      <Button
        variant={props.triggerVariant ?? "secondary"}
        aria-label={props.triggerLabel}
        onClick={() => {
          setError(undefined);
          ref.current?.showModal();
        }}
      >
        {props.trigger}
      </Button>
      <dialog ref={ref} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl">
        <div className="flex flex-col gap-4 p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            {props.title}
          </h2>
          <div className="text-sm text-slate-700">{props.children}</div>
          <FormError message={error} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => ref.current?.close()}>
              {props.cancelLabel ?? "Cancel"}
            </Button>
            <Button
              variant={props.danger ? "danger" : "primary"}
              pending={pending}
              onClick={() =>
                start(async () => {
                  const r = await props.onConfirm();
                  if (!r.ok) return setError(r.error.message);
                  ref.current?.close();
                  props.onDone?.();
                })
              }
            >
              {props.confirmLabel}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
