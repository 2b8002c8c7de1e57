import { expect, test, type Page } from "@playwright/test";

// The demo install as a visitor sees it: sign in, open the demo project, read the Bloomberg article.
// The server (e2e/serve-fresh.mjs) runs on a fresh database with the demo project seeded.

const password = "spanlight-demo";
const projectName = "Hollande–Putin talks on Syria";
const articleTitle = "Hollande Says He’s Narrowed Differences With Putin Over Syria";
const openingSentence = "French President Francois Hollande said he’s narrowed differences over Syria with Vladimir Putin";

async function signIn(page: Page, email: string, pass = password) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(pass);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function openDemoProject(page: Page) {
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole("heading", { name: "Projects", level: 1 })).toBeVisible();
  const projectLink = page.getByRole("table").getByRole("link", { name: projectName, exact: true });
  await expect(projectLink).toBeVisible();
  await projectLink.click();
  await expect(page).toHaveURL(/\/projects\/[^/]+$/);
  await expect(page.getByRole("heading", { name: projectName, level: 1 })).toBeVisible();
}

/** The rows of the articles table (the one under the "Articles (n)" heading), without the header row. */
function articleRows(page: Page) {
  return page.getByRole("region", { name: /^Articles/ }).getByRole("table").getByRole("row").filter({ has: page.getByRole("link") });
}

test("the reviewer reads the demo article, exactly as stored", async ({ page }) => {
  await signIn(page, "reviewer@demo.spanlight");
  await openDemoProject(page);

  await expect(page.getByRole("heading", { name: "Articles (5)" })).toBeVisible();
  await expect(articleRows(page)).toHaveCount(5);

  await page.getByRole("link", { name: articleTitle, exact: true }).click();
  await expect(page).toHaveURL(/\/articles\/[^/]+$/);
  await expect(page.getByRole("heading", { name: articleTitle, level: 1 })).toBeVisible();

  const reader = page.getByRole("document", { name: `Text of ${articleTitle}` });
  await expect(reader).toBeVisible();
  await expect(reader).toContainText(openingSentence);
  const paragraphs = reader.locator("p");
  expect(await paragraphs.count()).toBeGreaterThan(3);

  // The reader shows every character of the canonical text: compare with the API, same session.
  const articleId = new URL(page.url()).pathname.split("/").pop()!;
  const { status, apiText, domText } = await page.evaluate(async (id) => {
    const response = await fetch(`/api/articles/${id}`, { credentials: "same-origin" });
    const body = (await response.json()) as { text?: string };
    const lines = Array.from(document.querySelectorAll(".ProseMirror p"), (p) => p.textContent ?? "");
    return { status: response.status, apiText: body.text ?? null, domText: lines.join("\n") };
  }, articleId);
  expect(status).toBe(200);
  expect(apiText).not.toBeNull();
  expect(apiText).toContain(openingSentence);
  expect(domText.length).toBe(apiText!.length);
  expect(domText).toBe(apiText);
});

test("a wrong password is refused with a message, on the sign-in page", async ({ page }) => {
  await signIn(page, "reviewer@demo.spanlight", "not-the-password");
  // In <main>: Next.js's route announcer is another (empty) role="alert" element, outside it.
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("The email or password is not right");
  await expect(page).toHaveURL(/\/sign-in(\?.*)?$/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
});

test("an anonymous visitor to /projects is sent to the sign-in page", async ({ page }) => {
  await page.goto("/projects");
  await expect(page).toHaveURL(/\/sign-in(\?.*)?$/);
  await expect(page.getByLabel("Email")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("an annotator sees the demo project as annotator, with only her own progress", async ({ page }) => {
  await signIn(page, "ana@demo.spanlight");
  await expect(page).toHaveURL(/\/projects$/);
  const projectRow = page.getByRole("row").filter({ has: page.getByRole("link", { name: projectName, exact: true }) });
  await expect(projectRow).toHaveCount(1);
  await expect(projectRow.getByRole("cell").nth(1)).toHaveText("annotator");

  await openDemoProject(page);
  await expect(page.getByText("You are an annotator.")).toBeVisible();
  await expect(articleRows(page)).toHaveCount(5);

  const progressLists = page.getByRole("list", { name: /^Progress on / });
  await expect(progressLists).toHaveCount(5);
  for (const list of await progressLists.all()) {
    const entries = list.getByRole("listitem");
    await expect(entries).toHaveCount(1);
    await expect(entries.first()).toContainText("Ana Annotator");
  }
  await expect(page.getByRole("region", { name: /^Articles/ })).not.toContainText("Ben Annotator");
});
