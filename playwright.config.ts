import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs, chromiumPath } from "./e2e/chromium";

// Browser end-to-end tests: `npm run test:e2e` (or `npx playwright test`).
// The app is served by e2e/serve-fresh.mjs against a fresh database (a new PostgreSQL database when
// DATABASE_URL is set, else a temporary embedded one) that is removed afterwards. The first run builds the app.
// Chromium is the system one (/usr/bin/chromium); `npx playwright install` is not needed.
const port = Number(process.env.E2E_PORT || 3210);
const baseURL = `http://127.0.0.1:${port}`;


export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  outputDir: "test-results/playwright",
  use: {
    baseURL,
    headless: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        headless: true,
        launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
      },
    },
  ],
  webServer: {
    command: "node e2e/serve-fresh.mjs",
    url: `${baseURL}/sign-in`,
    env: { PORT: String(port) },
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM (not the default SIGKILL) so serve-fresh.mjs can drop its database / remove its data dir.
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
