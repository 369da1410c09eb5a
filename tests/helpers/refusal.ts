import { AppError } from "@/lib/errors";

function appError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  throw e;
}

/**
 * The AppError `run` throws. Anything else it throws is rethrown; when it returns, the test
 * fails with `accepted`.
 */
export function thrownAppError(run: () => unknown, accepted = "accepted"): AppError {
  try {
    run();
  } catch (e) {
    return appError(e);
  }
  throw new Error(accepted);
}

/** The AppError `p` rejects with, as `thrownAppError` does for a call that throws. */
export async function rejectedAppError(p: Promise<unknown>, accepted = "accepted"): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return appError(e);
  }
  throw new Error(accepted);
}
