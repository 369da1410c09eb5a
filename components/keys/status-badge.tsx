export function StatusBadge({ status }: { status: "Active" | "Inactive" }) {
  return (
    <span
      className={
        status === "Active"
          ? "rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900"
          : "rounded-full bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-700"
      }
    >
      {status}
    </span>
  );
}
