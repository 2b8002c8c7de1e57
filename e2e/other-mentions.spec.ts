import { expect, test } from "@playwright/test";
import { findDemoArticle, myAnnotations, selectWithMouse, signInByApi, waitForReader } from "./helpers";

const dw = "Moscow and Paris agree to share intelligence on Syria";
const afp = "Putin, Hollande agree to coordinate on IS fight but divisions remain";

// The reviewer's own layer is empty in the demo, so every place of the name and aliases is untagged for them.
test("tagging Islamic State offers its other mentions, “Daesh” included as an alias, here and across the project", async ({ page }) => {
  await signInByApi(page, "reviewer@demo.spanlight");
  const here = await findDemoArticle(page.request, dw);
  const elsewhere = await findDemoArticle(page.request, afp);
  expect(here.text).toContain("Daesh");
  expect(elsewhere.text).toContain("Daesh");

  await page.goto(`/articles/${here.id}`);
  await waitForReader(page);
  await selectWithMouse(page, "Islamic State");
  await page.keyboard.press("2");
  const picker = page.getByRole("combobox", { name: "ORG entity" });
  await expect(picker).toHaveValue("Islamic State");
  await picker.press("Enter");

  const offer = page.getByRole("region", { name: "Other mentions" });
  await expect(offer).toContainText("of Islamic State in this article");
  await expect(offer.getByRole("button", { name: /across the project/ })).toBeVisible();
  await offer.getByRole("button", { name: "Review them one by one" }).click();
  await expect(offer.locator("li mark", { hasText: /^Daesh$/ }).first()).toBeVisible();

  // Everything in this article at once; in the AFP article one by one: its "Daesh".
  await offer.getByRole("button", { name: /^Tag all \d+$/ }).click();
  await expect(page.getByText(/Tagged \d+ more mentions? of Islamic State in this article\./)).toBeVisible();
  const daeshAt = elsewhere.text.indexOf("Daesh");
  await offer.getByRole("button", { name: `Tag “Daesh” in ${afp} at ${daeshAt}` }).click();
  await expect(page.getByText("Tagged 1 mention of Islamic State in other articles of the project.")).toBeVisible();

  for (const [article, quotes] of [
    [here, ["Islamic State", "Daesh", "IS"]],
    [elsewhere, ["Daesh"]],
  ] as const) {
    const mine = await myAnnotations(page.request, article.id);
    for (const quote of quotes) {
      const found = mine.find((annotation) => annotation.quote === quote);
      expect(found, `${quote} in ${article.title}`).toMatchObject({ kind: "entity", entity: { name: "Islamic State" } });
      expect(article.text.slice(found!.start, found!.end)).toBe(quote);
    }
  }
});
