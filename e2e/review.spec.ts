import { expect, test } from "@playwright/test";
import { findDemoArticle, signInByApi } from "./helpers";

const npr = "Between France And Russia, Presidents Seek Common Ground In Syria";
const demoTitles = [
  "Hollande Says He’s Narrowed Differences With Putin Over Syria",
  npr,
  "Moscow and Paris agree to share intelligence on Syria",
  "Putin, Hollande agree to coordinate on IS fight but divisions remain",
  "France, Russia discuss Syria, sidestep differences on chemical weapons",
];

interface Group {
  key: string;
  status: "agreed" | "disagreed";
  settled: boolean;
  start: number;
  members: Record<string, { id: string } | null>;
}

test("the demo reviewer jumps to the first disagreement, accepts ana’s version, accepts all agreed: gold holds exactly those", async ({ page }) => {
  await signInByApi(page, "reviewer@demo.spanlight");
  // A demo article whose first disagreement (in text order) has a version by ana.
  let chosen: { article: Awaited<ReturnType<typeof findDemoArticle>>; before: { annotators: { id: string; email: string }[]; groups: Group[]; gold: unknown[] } } | null = null;
  for (const title of demoTitles) {
    const article = await findDemoArticle(page.request, title);
    const before = await (await page.request.get(`/api/articles/${article.id}/review`)).json();
    const ana = before.annotators.find((annotator: { email: string }) => annotator.email === "ana@demo.spanlight");
    const first = (before.groups as Group[]).find((group) => group.status === "disagreed" && !group.settled);
    if (ana && first?.members[ana.id]) {
      chosen = { article, before };
      break;
    }
  }
  expect(chosen, "a demo article whose first disagreement ana took part in").not.toBeNull();
  const { article, before } = chosen!;
  const ana = before.annotators.find((annotator) => annotator.email === "ana@demo.spanlight")!;
  const firstOpen = before.groups.find((group) => group.status === "disagreed" && !group.settled)!;
  const agreed = before.groups.filter((group) => group.status === "agreed" && !group.settled);
  expect(before.gold).toEqual([]);
  expect(agreed.length).toBeGreaterThan(0);

  await page.goto(`/articles/${article.id}/review`);
  await expect(page.locator(".reader-surface[data-drawn-to] .ProseMirror")).toBeAttached();
  // The text comes first; the comparison streams in after it.
  await expect(page.getByRole("status").filter({ hasText: /disagreements? to settle/ })).toBeVisible();
  await page.keyboard.press("n");
  const panel = page.getByRole("complementary", { name: "Review" });
  await expect(panel.getByRole("heading", { name: /group:/ })).toBeVisible();
  await panel.getByRole("button", { name: "Accept Ana Annotator’s version" }).click();
  await expect(page.getByRole("status").filter({ hasText: "into gold" })).toBeVisible();
  await page.getByRole("button", { name: /Accept all agreed/ }).click();
  await expect(page.getByText(`Accepted ${agreed.length} agreed item`)).toBeVisible();

  const gold = (await (await page.request.get(`/api/articles/${article.id}/annotations?layer=gold`)).json()).annotations as { id: string; start: number; end: number; quote: string }[];
  const review = await (await page.request.get(`/api/articles/${article.id}/review`)).json();
  const derived = (review.gold as { derivedFromIds: string[] }[]).map((item) => [...item.derivedFromIds].sort());
  const expected = [[firstOpen!.members[ana.id]!.id], ...agreed.map((group) => Object.values(group.members).map((member) => member!.id).sort())];
  expect(gold).toHaveLength(1 + agreed.length);
  expect(derived.map((ids) => ids.join(",")).sort()).toEqual(expected.map((ids) => [...ids].sort().join(",")).sort());
  for (const item of gold) expect(article.text.slice(item.start, item.end)).toBe(item.quote);
});

test("an annotator cannot open the review view or the review API", async ({ page }) => {
  await signInByApi(page, "ana@demo.spanlight");
  const article = await findDemoArticle(page.request, npr);
  const response = await page.goto(`/articles/${article.id}/review`);
  expect(response?.status()).toBe(404);
  expect((await page.request.get(`/api/articles/${article.id}/review`)).status()).toBe(403);
});
