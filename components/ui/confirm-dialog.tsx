"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/action-result";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "./alert-dialog";
import { Button, buttonClass } from "./button";
import { FormError } from "./field";
import { confirmChange } from "./toaster";

/**
 * A button that opens a confirmation (Radix AlertDialog: focus moves to Cancel, Escape
 * cancels) and runs `onConfirm` with progress; an error stays in the window, success closes
 * it and, with `successMessage`, says so in a toast; with `navigate` it then goes there, and the
 * toast's time starts once that page is shown.
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
  successMessage?: string;
  /** Where to go once it worked (e.g. the list, after deleting what this page showed). */
  navigate?: string;
  onConfirm: () => Promise<ActionResult<unknown>>;
  onDone?: () => void;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setError(undefined);
        setOpen(next);
      }}
    >
      <AlertDialogTrigger aria-label={props.triggerLabel} className={buttonClass(props.triggerVariant ?? "secondary")}>
        {props.trigger}
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogTitle>{props.title}</AlertDialogTitle>
        <AlertDialogDescription asChild>
          <div>{props.children}</div>
        </AlertDialogDescription>
        <FormError message={error} />
        <div className="flex justify-end gap-2">
          <AlertDialogCancel disabled={pending}>{props.cancelLabel ?? "Cancel"}</AlertDialogCancel>
          <Button
            variant={props.danger ? "danger" : "primary"}
            pending={pending}
            onClick={() =>
              start(async () => {
                const r = await props.onConfirm();
                if (!r.ok) return setError(r.error.message);
                setOpen(false);
                confirmChange(props.successMessage, props.navigate, (href) => router.push(href));
                props.onDone?.();
              })
            }
          >
            {props.confirmLabel}
          </Button>
        </div>
      </AlertDialogContent>
    </AlertDialog>
  );
}
