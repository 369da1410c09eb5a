import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NAVIGATION_BOUND, pendingToasts } from "@/components/ui/toaster";

/** A registry on the page at `pathname`, whose settled toasts are recorded as [id, message]. */
function registry(pathname: string) {
  const settled: [string | number, string][] = [];
  const pending = pendingToasts((id, message) => settled.push([id, message]));
  pending.shown(pathname);
  return { pending, settled };
}

describe("confirmations that wait for their page (toastAfterNavigation)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("holds a toast until the page it announces is shown, however long that takes", () => {
    const { pending, settled } = registry("/keys/k1");
    pending.wait("t1", "Key k1 deleted", "/keys");
    vi.advanceTimersByTime(20_000);
    pending.shown("/keys/k1");
    expect(settled).toEqual([]);
    pending.shown("/keys");
    expect(settled).toEqual([["t1", "Key k1 deleted"]]);
    expect(pending.size).toBe(0);
    // Settled once: neither a later page nor the bound settles it again.
    pending.shown("/dashboard");
    vi.advanceTimersByTime(NAVIGATION_BOUND);
    expect(settled).toHaveLength(1);
  });

  it("matches the pathname only: the query and hash of the link do not count", () => {
    const { pending, settled } = registry("/roles/new");
    pending.wait(7, "Role Ops created", "/roles/r-42?created=1#permissions");
    pending.shown("/roles/r-42");
    expect(settled).toEqual([[7, "Role Ops created"]]);
  });

  it("settles at once when the link leads to the page already shown", () => {
    const { pending, settled } = registry("/roles");
    pending.wait("t1", "Role Ops deleted", "/roles");
    expect(settled).toEqual([["t1", "Role Ops deleted"]]);
    expect(pending.size).toBe(0);
  });

  it("settles on another page too (a redirect, or the person went elsewhere)", () => {
    const { pending, settled } = registry("/roles/new");
    pending.wait("t1", "Role Ops created", "/roles/r-42?created=1");
    pending.shown("/sign-in");
    expect(settled).toEqual([["t1", "Role Ops created"]]);
  });

  it("settles after the bound when no page is ever shown", () => {
    const { pending, settled } = registry("/keys/k1");
    pending.wait("t1", "Key k1 deleted", "/keys");
    vi.advanceTimersByTime(NAVIGATION_BOUND - 1);
    expect(settled).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(settled).toEqual([["t1", "Key k1 deleted"]]);
    expect(pending.size).toBe(0);
  });

  it("keeps each toast to its own page", () => {
    const { pending, settled } = registry("/keys/k1");
    pending.wait("a", "Key k1 deleted", "/keys");
    pending.wait("b", "Key k1 deleted again", "/keys");
    pending.shown("/keys");
    pending.wait("c", "Role Ops created", "/roles/r-42");
    expect(settled.map(([id]) => id)).toEqual(["a", "b"]);
    pending.shown("/roles/r-42");
    expect(settled.map(([id]) => id)).toEqual(["a", "b", "c"]);
  });

  it("forgets a toast the person closed: it does not come back", () => {
    const { pending, settled } = registry("/keys/k1");
    pending.wait("t1", "Key k1 deleted", "/keys");
    pending.forget("t1");
    pending.shown("/keys");
    vi.advanceTimersByTime(NAVIGATION_BOUND);
    expect(settled).toEqual([]);
    expect(pending.size).toBe(0);
  });
});
