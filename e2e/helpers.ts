import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const demoPassword = "spanlight-demo";

/** Signs in through the API; the browser context keeps the session cookie. */
export async function signInByApi(page: Page, email: string) {
  const response = await page.request.post("/api/auth/login", { data: { email, password: demoPassword } });
  expect(response.status()).toBe(200);
}

export async function findDemoArticle(request: APIRequestContext, title: string) {
  const { projects } = await (await request.get("/api/projects")).json();
  const project = projects.find((entry: { isDemo: boolean }) => entry.isDemo);
  const { articles } = await (await request.get(`/api/projects/${project.id}/articles`)).json();
  const summary = articles.find((entry: { title: string }) => entry.title === title);
  const article = await (await request.get(`/api/articles/${summary.id}`)).json();
  return article as { id: string; projectId: string; title: string; text: string };
}

export interface ApiAnnotation {
  id: string;
  kind: string;
  start: number;
  end: number;
  quote: string;
  version: number;
  entityType: string | null;
  entity: { name: string } | null;
  holder: { name: string } | null;
  target: { name: string } | null;
  polarity: string | null;
}

export async function myAnnotations(request: APIRequestContext, articleId: string): Promise<ApiAnnotation[]> {
  const response = await request.get(`/api/articles/${articleId}/annotations?layer=mine`);
  expect(response.status()).toBe(200);
  return (await response.json()).annotations;
}

/** Test setup: removes my annotations that exactly cover [start, end), so the test proves it creates them. */
export async function removeMyExactAnnotations(request: APIRequestContext, articleId: string, start: number, end: number) {
  for (const annotation of await myAnnotations(request, articleId)) {
    if (annotation.start === start && annotation.end === end) {
      expect((await request.delete(`/api/annotations/${annotation.id}?version=${annotation.version}`)).status()).toBe(200);
    }
  }
}

/**
 * Selects text in the reader with the mouse: press at the first character of the `occurrence`-th match of
 * `quote` (matched within one paragraph) and release at its last.
 */
export async function selectWithMouse(page: Page, quote: string, occurrence = 0) {
  const points = await page.evaluate(
    ({ quote, occurrence }) => {
      let seen = 0;
      for (const paragraph of Array.from(document.querySelectorAll(".ProseMirror p"))) {
        const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
        const nodes: Text[] = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
        const text = nodes.map((node) => node.data).join("");
        for (let index = text.indexOf(quote); index >= 0; index = text.indexOf(quote, index + 1)) {
          if (seen++ !== occurrence) continue;
          const locate = (offset: number) => {
            let remaining = offset;
            for (const node of nodes) {
              if (remaining < node.data.length) return { node, offset: remaining };
              remaining -= node.data.length;
            }
            const last = nodes[nodes.length - 1]!;
            return { node: last, offset: last.data.length };
          };
          const rectOf = (offset: number) => {
            const { node, offset: at } = locate(offset);
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + 1);
            return range.getBoundingClientRect();
          };
          rectOf(index).top; // layout
          (nodes[0]!.parentElement ?? paragraph).scrollIntoView({ block: "center" });
          const first = rectOf(index);
          const last = rectOf(index + quote.length - 1);
          return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2 };
        }
      }
      return null;
    },
    { quote, occurrence },
  );
  if (!points) throw new Error(`"${quote}" (#${occurrence}) is not in the reader`);
  await page.mouse.move(points.x1, points.y1);
  await page.mouse.down();
  await page.mouse.move((points.x1 + points.x2) / 2, (points.y1 + points.y2) / 2, { steps: 4 });
  await page.mouse.move(points.x2, points.y2, { steps: 4 });
  await page.mouse.up();
}

/** Waits until the reader shows the text with my annotations drawn, so a selection is not cut by a re-render. */
export async function waitForReader(page: Page) {
  await expect(page.getByRole("status").filter({ hasText: "annotations" })).toBeVisible();
  // The reader marks its surface with the stretch of text it has drawn once the annotations are in the editor.
  await expect(page.locator(".reader-surface[data-drawn-to] .ProseMirror")).toBeAttached();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}
