// Debian's Chromium, as the browser tests and benchmarks launch it (`npx playwright install` cannot work offline).
export const chromiumPath = process.env.SPANLIGHT_CHROMIUM || "/usr/bin/chromium";

export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  // Without these, Chromium keeps trying to reach Google's hosts, which this machine's network refuses.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
