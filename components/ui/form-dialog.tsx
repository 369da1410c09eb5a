"use client";

import { Button } from "./button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogTitle } from "./dialog";

/**
 * A modal window holding one form (Radix Dialog): the title is its accessible name, Escape and
 * Cancel close it (not while `pending`), a click outside does not (what was typed stays), focus
 * returns to the control that opened it (`returnFocus` when the opener is no DialogTrigger).
 * `onSubmit` gets the form's FormData; the form keeps what was typed.
 */
export function FormDialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: React.ReactNode;
  description?: React.ReactNode;
  submitLabel: string;
  pending: boolean;
  onSubmit: (data: FormData) => void;
  returnFocus?: React.RefObject<HTMLElement | null>;
  children: React.ReactNode;
}) {
  const { returnFocus } = props;
  return (
    <Dialog open={props.open} onOpenChange={(open) => !props.pending && props.onOpenChange(open)}>
      <DialogContent
        // Without a description, say so (Radix otherwise warns); with one, Radix links it.
        {...(props.description ? {} : { "aria-describedby": undefined })}
        onInteractOutside={(e) => e.preventDefault()}
        onCloseAutoFocus={
          returnFocus
            ? (e) => {
                e.preventDefault();
                returnFocus.current?.focus();
              }
            : undefined
        }
      >
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            props.onSubmit(new FormData(e.currentTarget));
          }}
        >
          <DialogTitle>{props.title}</DialogTitle>
          {props.description && <DialogDescription>{props.description}</DialogDescription>}
          {props.children}
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="secondary" disabled={props.pending}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" pending={props.pending}>
              {props.submitLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
