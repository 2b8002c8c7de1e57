import { expect, test, type Page } from "@playwright/test";
import { findDemoArticle, myAnnotations, removeMyExactAnnotations, selectWithMouse, signInByApi, waitForReader } from "./helpers";

/* Tagging without a connection: the create is kept in the browser, shown as pending, and sent again with the same
 * idempotency key, so it lands exactly once, also when the first try did reach the server. */

const dw = "Moscow and Paris agree to share intelligence on Syria";

async function tagAsLocation(page: Page, quote: string) {
  await selectWithMouse(page, quote);
  await page.keyboard.press("3");
  const picker = page.getByRole("combobox", { name: "LOC entity" });
  await expect(picker).toHaveValue(quote);
  await picker.press("Enter");
}

async function prepare(page: Page, quote: string) {
  await signInByApi(page, "ben@demo.spanlight");
  const article = await findDemoArticle(page.request, dw);
  const start = article.text.indexOf(quote);
  await removeMyExactAnnotations(page.request, article.id, start, start + quote.length);
  await page.goto(`/articles/${article.id}`);
  await waitForReader(page);
  return { article, start };
}

async function savedAt(page: Page, articleId: string, start: number, quote: string) {
  return (await myAnnotations(page.request, articleId)).filter((annotation) => annotation.start === start && annotation.quote === quote);
}

test("offline: the span is kept and shown as pending, then saved once the connection is back", async ({ page, context }) => {
  const quote = "Moscow";
  const { article, start } = await prepare(page, quote);

  await context.setOffline(true);
  await tagAsLocation(page, quote);
  await expect(page.getByText("The server could not be reached: “Moscow” as Moscow")).toBeVisible();
  const note = page.getByRole("status").filter({ hasText: "not saved on the server yet" });
  await expect(note).toContainText("1 change is not saved");
  await expect(page.locator(".ProseMirror .ann-pending")).toHaveCount(1);
  expect(await savedAt(page, article.id, start, quote)).toHaveLength(0);

  // Sending again while still offline keeps it, and says why.
  await note.getByRole("button", { name: "Send now" }).click();
  await expect(note).toContainText("last try: The server could not be reached");
  await expect(page.locator(".ProseMirror .ann-pending")).toHaveCount(1);

  // Back online, it goes by itself.
  await context.setOffline(false);
  await expect(note).toBeHidden({ timeout: 20_000 });
  await expect(page.getByText("Saved on the server: “Moscow”")).toBeVisible();
  await expect(page.locator(".ProseMirror .ann-pending")).toHaveCount(0);
  const saved = await savedAt(page, article.id, start, quote);
  expect(saved).toHaveLength(1);
  await expect(page.locator(`.ProseMirror [data-annotation-id="${saved[0]!.id}"]`).first()).toBeVisible();
});

test("a create whose answer was lost survives a reload and is not doubled when it is sent again", async ({ page }) => {
  const quote = "Paris";
  const { article, start } = await prepare(page, quote);

  // The request reaches the server, which saves the annotation, but the browser never sees the answer.
  let delivered = 0;
  await page.route("**/api/articles/*/annotations", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    await route.fetch();
    delivered += 1;
    await route.abort("connectionreset");
  });
  await tagAsLocation(page, quote);
  await expect(page.getByRole("status").filter({ hasText: "1 change is not saved" })).toBeVisible();
  expect(delivered).toBeGreaterThanOrEqual(1);
  expect(await savedAt(page, article.id, start, quote)).toHaveLength(1);

  await page.unroute("**/api/articles/*/annotations");
  await page.reload();
  await waitForReader(page);
  await expect(page.getByText("Saved on the server: “Paris”")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "not saved on the server yet" })).toBeHidden();
  expect(await savedAt(page, article.id, start, quote)).toHaveLength(1);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("spanlight:pending-creates:")))).toEqual([]);
});
