import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { demoPassword, findDemoArticle, waitForReader } from "./helpers";

// The browser side of docs/security.md: the Content-Security-Policy is sent and Next.js's scripts carry its nonce,
// the app runs under it without a single violation, injected scripts are refused, text that looks like markup stays
// text, the sign-in form shows the rate-limit message, and the Account page changes the password.
// Accounts other than the demo ones are made here (open sign-up), so the demo accounts are never rate limited.

const cspPattern = /Content[- ]Security[- ]Policy/i;

/** Records every CSP violation of the page: console messages and securitypolicyviolation events. */
async function watchCsp(page: Page) {
  const messages: string[] = [];
  page.on("console", (message) => {
    if (cspPattern.test(message.text())) messages.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const store = window as unknown as { __cspViolations?: string[] };
      (store.__cspViolations ??= []).push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
    });
  });
  const events = () => page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
  return {
    messages,
    events,
    /** Both kinds: one violation usually shows up as an event and as a console message. */
    async all(): Promise<string[]> {
      return [...messages, ...(await events())];
    },
  };
}

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

let accountCounter = 0;
/** A new account through open sign-up; `request` keeps its session cookie. */
async function signUp(request: APIRequestContext, password = "a long enough password") {
  accountCounter += 1;
  const email = `security-${Date.now().toString(36)}-${accountCounter}@example.org`;
  const response = await request.post("/api/auth/signup", { data: { email, name: `Security ${accountCounter}`, password } });
  expect(response.status()).toBe(201);
  return { email, password };
}

test("pages send a CSP with a fresh nonce that every script of the page carries; no inline script is allowed", async ({ request }) => {
  const nonces = new Set<string>();
  for (const path of ["/sign-in", "/sign-up", "/sign-in"]) {
    const response = await request.get(path);
    expect(response.status()).toBe(200);
    const policy = response.headers()["content-security-policy"];
    expect(policy, `CSP header on ${path}`).toBeTruthy();
    const scriptSrc = directives(policy!).get("script-src")!;
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(scriptSrc).toContain("'strict-dynamic'");
    const nonce = scriptSrc.find((value) => value.startsWith("'nonce-"))!.slice(7, -1);
    nonces.add(nonce);
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, `a <script> of ${path}`).toContain(`nonce="${nonce}"`);
  }
  expect(nonces.size).toBe(3);

  // API answers get a policy that lets nothing run or load.
  const api = await request.get("/api/auth/me");
  expect(api.headers()["content-security-policy"]).toMatch(/^default-src 'none'/);
});

test("sign-in, projects, the reader and the review page run without a CSP violation", async ({ page }) => {
  const csp = await watchCsp(page);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("reviewer@demo.spanlight");
  await page.getByLabel("Password").fill(demoPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole("heading", { name: "Projects", level: 1 })).toBeVisible();
  expect(await csp.all()).toEqual([]);

  const article = await findDemoArticle(page.request, "Moscow and Paris agree to share intelligence on Syria");
  await page.goto(`/articles/${article.id}`);
  await waitForReader(page);
  expect(await csp.all()).toEqual([]);

  await page.goto(`/articles/${article.id}/review`);
  await expect(page.locator(".reader-surface[data-drawn-to] .ProseMirror")).toBeAttached();
  await expect(page.getByRole("complementary", { name: "Review" })).toBeVisible();
  expect(await csp.all()).toEqual([]);

  // Client-side navigation under the same policy.
  await page.getByRole("link", { name: "Projects" }).first().click();
  await expect(page.getByRole("heading", { name: "Projects", level: 1 })).toBeVisible();
  expect(await csp.all()).toEqual([]);
});

test("script injected into a page's HTML is refused (no nonce, a wrong nonce, an inline handler); the page's own scripts run", async ({ page }) => {
  // The injection goes into the HTML as served (CSP header kept), as stored XSS would. page.addScriptTag cannot
  // show this: Chromium exempts whatever DevTools evaluation inserts from the page's CSP.
  const injected = '<script>window.__injected = 1</script><script nonce="guessed">window.__injected = 2</script><img src="data:," onerror="window.__injected = 3">';
  await page.route("**/sign-in", async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace("<body>", `<body>${injected}`) });
  });
  const csp = await watchCsp(page);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("someone@example.org");
  await page.getByRole("button", { name: "Sign in" }).click();
  // Only the hydrated form (the app's nonce-carrying scripts) answers with this message.
  await expect(page.getByRole("alert").filter({ hasText: "Enter your password." })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected ?? null)).toBeNull();
  await expect.poll(async () => (await csp.events()).map((violation) => violation.split(" ")[0]).sort()).toEqual(["script-src-attr", "script-src-elem", "script-src-elem"]);
  // Each refusal is also in the console, where the other tests look for violations too.
  expect(csp.messages).toHaveLength(3);
});

test("article text that looks like markup is shown as text and never runs", async ({ page }) => {
  await signUp(page.request);
  const csp = await watchCsp(page);
  const project = await (await page.request.post("/api/projects", { data: { name: "Markup as text" } })).json();
  const text = 'Paris wrote <img src=x onerror="window.__xss = 1"> and <script>window.__xss = 2</script> to Moscow.';
  const created = await page.request.post(`/api/projects/${project.id}/articles`, { data: { title: "<b>Not bold</b>", text } });
  expect(created.status()).toBe(201);
  const { id } = await created.json();

  await page.goto(`/articles/${id}`);
  await waitForReader(page);
  const reader = page.locator(".reader-surface .ProseMirror");
  await expect(reader).toContainText('<img src=x onerror="window.__xss = 1">');
  await expect(reader).toContainText("<script>window.__xss = 2</script>");
  await expect(page.getByRole("heading", { name: "<b>Not bold</b>", level: 1 })).toBeVisible();
  expect(await page.locator("main img, main b").count()).toBe(0);
  expect(await reader.locator("script").count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null)).toBeNull();
  expect(await csp.all()).toEqual([]);
});

test("the sign-in form shows the rate-limit message", async ({ page, playwright, baseURL }) => {
  const other = await playwright.request.newContext({ baseURL });
  const { email, password } = await signUp(other);
  for (let attempt = 0; attempt < 10; attempt++) {
    expect((await other.post("/api/auth/login", { data: { email, password: "not the password" } })).status()).toBe(401);
  }
  await other.dispose();

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Too many" });
  await expect(alert).toHaveText(/^Too many failed sign-in attempts for this account\. Try again in 1[45] minutes\.$/);
  await expect(page).toHaveURL(/\/sign-in/);
});

test("the Account page changes the password; other sessions end, this one stays", async ({ page, playwright, baseURL }) => {
  const { email, password } = await signUp(page.request);
  const otherDevice = await playwright.request.newContext({ baseURL });
  expect((await otherDevice.post("/api/auth/login", { data: { email, password } })).status()).toBe(200);
  const csp = await watchCsp(page);

  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill(password);
  await form.getByLabel(/^New password/).fill("another long password");
  await form.getByLabel("Confirm new password").fill("another long password");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toHaveText("Your password was changed. 1 other session was signed out.");

  expect((await otherDevice.get("/api/auth/me")).status()).toBe(401);
  await otherDevice.dispose();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
  expect((await page.request.get("/api/auth/me")).status()).toBe(200);
  expect(await csp.all()).toEqual([]);
});
