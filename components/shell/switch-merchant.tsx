"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { searchMerchants } from "@/lib/actions/orgs/search-merchants";
import { switchMerchant } from "@/lib/actions/orgs/switch-merchant";
import { Button, Spinner } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";

type Org = { id: string; name: string; type: "PORTFOLIO" | "ACCOUNT" | "MERCHANT" };

/** Switch merchant → the Quick Merchant Switch window: choose an ID, click Switch. */
export function SwitchMerchant({ currentOrgId, ownOrgId }: { currentOrgId: string; ownOrgId: string }) {
  const router = useRouter();
  const [query, setQuery] = useState("");
  const [orgs, setOrgs] = useState<Org[]>([]);
  const [selected, setSelected] = useState(currentOrgId);
  const [error, setError] = useState<string>();
  const [searching, startSearch] = useTransition();
  const [switching, startSwitch] = useTransition();
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(() => {
      startSearch(async () => {
        const r = await searchMerchants({ query });
        if (r.ok) setOrgs(r.data);
        else setError(r.error.message);
      });
    }, 200);
    return () => clearTimeout(timer);
  }, [query, open]);

  function openChange(next: boolean) {
    if (next) {
      setError(undefined);
      setSelected(currentOrgId);
    }
    setOpen(next);
  }
  function submit() {
    startSwitch(async () => {
      const r = await switchMerchant({ orgId: selected });
      if (!r.ok) return setError(r.error.fields?.orgId ?? r.error.message);
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onOpenChange={openChange}>
      <DialogTrigger asChild>
        <Button variant="secondary">Switch merchant</Button>
      </DialogTrigger>
      <DialogContent aria-describedby={undefined}>
        <DialogTitle>Quick Merchant Switch</DialogTitle>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Search merchant ID
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            className="rounded-md border border-slate-300 px-3 py-2 font-normal"
            placeholder="ID or name"
          />
        </label>
        <FormError message={error} />
        <fieldset className="max-h-72 overflow-y-auto rounded-md border border-slate-200">
          <legend className="sr-only">Merchant IDs</legend>
          {searching && orgs.length === 0 && (
            <p className="p-3 text-sm">
              <Spinner label="Searching…" />
            </p>
          )}
          {!searching && orgs.length === 0 && <p className="p-3 text-sm text-slate-500">No merchant IDs match.</p>}
          {orgs.map((org) => (
            <label
              key={org.id}
              className="flex cursor-pointer items-center gap-3 border-b border-slate-100 px-3 py-2 text-sm last:border-0 hover:bg-slate-50"
            >
              <input
                type="radio"
                name="orgId"
                value={org.id}
                checked={selected === org.id}
                onChange={() => setSelected(org.id)}
              />
              <span className="font-mono">{org.id}</span>
              <span className="text-slate-600">
                {org.name}
                {org.id === ownOrgId ? " (your organization)" : ""}
              </span>
            </label>
          ))}
        </fieldset>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button onClick={submit} pending={switching}>
            Switch
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
