import { expect, test } from "@playwright/test";
import { signInByApi } from "./helpers";

async function demoProjectId(page: import("@playwright/test").Page) {
  const { projects } = await (await page.request.get("/api/projects")).json();
  return projects.find((project: { isDemo: boolean }) => project.isDemo).id as string;
}

test("the demo reviewer reads the agreement page: figures, a pairwise heatmap whose cells lead to the disagreements", async ({ page }) => {
  await signInByApi(page, "reviewer@demo.spanlight");
  const projectId = await demoProjectId(page);
  const figures = await (await page.request.get(`/api/projects/${projectId}/agreement`)).json();
  expect(figures.annotators.map((annotator: { name: string }) => annotator.name).sort()).toEqual(["Ana Annotator", "Ben Annotator"]);
  expect(figures.tokenAlpha).toBeGreaterThan(0.5);
  expect(figures.tokenAlpha).toBeLessThan(1);

  await page.goto(`/projects/${projectId}/agreement`);
  await expect(page.getByRole("heading", { name: "Inter-annotator agreement" })).toBeVisible();
  const heatmap = page.getByRole("table").filter({ has: page.locator("caption", { hasText: "for every pair of annotators" }) });
  await expect(heatmap).toBeVisible();
  await expect(heatmap.getByRole("columnheader", { name: "Ana Annotator" })).toBeVisible();
  // The most disputed article links to its review view.
  const reviewLink = page.locator('a[href$="/review"]').first();
  await expect(reviewLink).toBeVisible();
  await reviewLink.click();
  await expect(page).toHaveURL(/\/articles\/[^/]+\/review$/);
});

test("an annotator gets no agreement page and a 403 from the agreement API", async ({ page }) => {
  await signInByApi(page, "ana@demo.spanlight");
  const projectId = await demoProjectId(page);
  expect((await page.goto(`/projects/${projectId}/agreement`))?.status()).toBe(404);
  expect((await page.request.get(`/api/projects/${projectId}/agreement`)).status()).toBe(403);
});
