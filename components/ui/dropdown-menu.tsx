"use client";

import * as MenuPrimitive from "@radix-ui/react-dropdown-menu";
import clsx from "clsx";

/** A menu of actions (Radix DropdownMenu): arrow keys move, Enter runs, Escape closes. */
export const DropdownMenu = MenuPrimitive.Root;
export const DropdownMenuTrigger = MenuPrimitive.Trigger;

export function DropdownMenuContent({ className, ...props }: React.ComponentProps<typeof MenuPrimitive.Content>) {
  return (
    <MenuPrimitive.Portal>
      <MenuPrimitive.Content
        sideOffset={4}
        align="end"
        {...props}
        className={clsx("z-50 min-w-44 rounded-md border border-slate-200 bg-white p-1 text-sm shadow-lg", className)}
      />
    </MenuPrimitive.Portal>
  );
}

export function DropdownMenuItem({
  className,
  danger = false,
  ...props
}: React.ComponentProps<typeof MenuPrimitive.Item> & { danger?: boolean }) {
  return (
    <MenuPrimitive.Item
      {...props}
      className={clsx(
        "flex cursor-default select-none items-center gap-2 rounded px-3 py-2 outline-none data-[disabled]:text-slate-400 data-[highlighted]:bg-slate-100",
        danger ? "text-red-700" : "text-slate-800",
        className,
      )}
    />
  );
}

export function DropdownMenuSeparator({ className, ...props }: React.ComponentProps<typeof MenuPrimitive.Separator>) {
  return <MenuPrimitive.Separator {...props} className={clsx("my-1 h-px bg-slate-200", className)} />;
}
