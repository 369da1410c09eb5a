"use client";

import * as DialogPrimitive from "@radix-ui/react-dialog";
import clsx from "clsx";

/**
 * A modal window on Radix Dialog (shadcn/ui's shape): focus moves in and is kept there,
 * Escape and Cancel close it, focus returns to the control that opened it.
 */
export const Dialog = DialogPrimitive.Root;
export const DialogTrigger = DialogPrimitive.Trigger;
export const DialogClose = DialogPrimitive.Close;

export function DialogContent({
  className,
  children,
  wide = false,
  ...props
}: React.ComponentProps<typeof DialogPrimitive.Content> & { wide?: boolean }) {
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
      <DialogPrimitive.Content
        {...props}
        className={clsx(
          "fixed left-1/2 top-1/2 z-50 flex max-h-[90vh] w-[calc(100%-2rem)] -translate-x-1/2 -translate-y-1/2 flex-col gap-4 overflow-y-auto rounded-xl bg-white p-6 shadow-xl focus:outline-none",
          wide ? "max-w-3xl" : "max-w-md",
          className,
        )}
      >
        {children}
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}

export function DialogTitle({ className, ...props }: React.ComponentProps<typeof DialogPrimitive.Title>) {
  return <DialogPrimitive.Title {...props} className={clsx("text-lg font-semibold", className)} />;
}

export function DialogDescription({ className, ...props }: React.ComponentProps<typeof DialogPrimitive.Description>) {
  return <DialogPrimitive.Description {...props} className={clsx("text-sm text-slate-700", className)} />;
}

export function DialogFooter({ className, ...props }: React.ComponentProps<"div">) {
  return <div {...props} className={clsx("flex justify-end gap-2", className)} />;
}
