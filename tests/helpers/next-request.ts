import path from "node:path";

/**
 * Next.js's request-scoped APIs for tests that call server actions, pages and route code
 * directly: `next/headers` answers with `nextRequest.headers` (set it to the caller's headers
 * before each call), cookies are read as none and writes are dropped; `next/cache` does
 * nothing. In a test file:
 *
 *   vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
 *   vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
 *   const { nextRequest } = await import("../helpers/next-request");
 */
export const nextRequest = { headers: new Headers() };

export const nextHeaders = {
  headers: async () => nextRequest.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, has: () => false }),
};

export const nextCache = { revalidatePath: () => {}, revalidateTag: () => {} };

/** A page's component (the module's default export), to call with `{ params, searchParams }`. */
export const page = async (file: string) => (await import(path.resolve(file))).default;
