import type { Page } from "@playwright/test";

/**
 * Waits until React has hydrated the page (components/hydration-mark.tsx sets `<html data-hydrated>`).
 * Server-rendered buttons are visible before that, but a click on one that opens a window is lost
 * until then: on a loaded 2-core runner hydration can take seconds.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

/** Like waitForHydration, for a page that is KeyCenter's (it loads Next.js's scripts); others are left alone. */
export async function waitForHydrationOfApp(page: Page): Promise<void> {
  if ((await page.locator('script[src*="/_next/static/"]').count()) > 0) await waitForHydration(page);
}
