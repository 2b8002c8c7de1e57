// Setup for the load bench, all through the public API on a freshly started app (demo seeded):
// copies of the demo project (its five articles and canonical entities), owned by the demo reviewer, each with a
// few newly signed-up annotators; every annotator signed in with its own session, and a first batch of
// annotations per annotator and article (so review and agreement have data from the first second).
import { HttpClient } from "./http-client.ts";
import type { AnnotationAnswer, Ledger, MentionCreate } from "./ledger.ts";
import { candidateSpans, pick, randomSource, type Span } from "./spans.ts";

export const demoReviewer = { email: "reviewer@demo.spanlight", password: "spanlight-demo" };
const annotatorPassword = "spanlight-load-password";

export interface LoadEntity {
  id: string;
  name: string;
  type: string;
}

export interface LoadArticle {
  id: string;
  text: string;
  spans: Span[];
}

export interface LoadProject {
  id: string;
  articles: LoadArticle[];
  entities: LoadEntity[];
}

export interface LoadAnnotator {
  userId: string;
  email: string;
  client: HttpClient;
  project: LoadProject;
}

export interface LoadSetup {
  projects: LoadProject[];
  annotators: LoadAnnotator[];
  /** The demo reviewer (owner of every copy), one client per reviewer session. */
  reviewers: HttpClient[];
  seededAnnotations: number;
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inBatches<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

export async function setUpLoad({
  port,
  runId,
  annotatorCount,
  annotatorsPerProject,
  reviewerSessions,
  seedPerArticle,
  ledger,
  log,
}: {
  port: number;
  runId: string;
  annotatorCount: number;
  annotatorsPerProject: number;
  reviewerSessions: number;
  seedPerArticle: number;
  ledger: Ledger;
  log(message: string): void;
}): Promise<LoadSetup> {
  const owner = new HttpClient(port);
  await owner.signIn(demoReviewer.email, demoReviewer.password);
  const { projects } = await owner.expect<{ projects: { id: string; isDemo: boolean }[] }>(200, "GET", "/api/projects");
  const demo = projects.find((project) => project.isDemo);
  if (!demo) throw new Error("no demo project: was the demo seeded (SPANLIGHT_DEMO must not be 0)?");
  const { articles: demoArticleList } = await owner.expect<{ articles: { id: string }[] }>(200, "GET", `/api/projects/${demo.id}/articles`);
  const demoArticles = await Promise.all(
    demoArticleList.map((article) => owner.expect<{ title: string; text: string; source: string | null }>(200, "GET", `/api/articles/${article.id}`)),
  );
  const { entities: demoEntities } = await owner.expect<{ entities: { name: string; type: string; aliases: string[] }[] }>(200, "GET", `/api/projects/${demo.id}/entities`);

  const projectCount = Math.ceil(annotatorCount / annotatorsPerProject);
  const copies: LoadProject[] = [];
  await inBatches(Array.from({ length: projectCount }, (_, index) => index), 2, async (index) => {
    const project = await owner.expect<{ id: string }>(201, "POST", "/api/projects", { name: `Load ${runId} copy ${index + 1}`, description: "Copy of the demo project for the load bench" });
    const articles: LoadArticle[] = [];
    for (const article of demoArticles) {
      const created = await owner.expect<{ id: string }>(201, "POST", `/api/projects/${project.id}/articles`, { title: article.title, text: article.text, source: article.source ?? undefined });
      const { text } = await owner.expect<{ text: string }>(200, "GET", `/api/articles/${created.id}`);
      articles.push({ id: created.id, text, spans: candidateSpans(text) });
    }
    const entities: LoadEntity[] = [];
    for (const entity of demoEntities) {
      const created = await owner.expect<{ id: string; name: string; type: string }>(201, "POST", `/api/projects/${project.id}/entities`, {
        name: entity.name,
        type: entity.type,
        aliases: entity.aliases,
      });
      entities.push({ id: created.id, name: created.name, type: created.type });
    }
    copies[index] = { id: project.id, articles, entities };
  });
  log(`load: ${projectCount} copies of the demo project (${demoArticles.length} articles, ${demoEntities.length} entities each)`);

  const annotators: LoadAnnotator[] = [];
  await inBatches(Array.from({ length: annotatorCount }, (_, index) => index), 4, async (index) => {
    const email = `load-${runId}-${index + 1}@bench.spanlight`;
    const client = new HttpClient(port);
    const { id } = await client.signIn(email, annotatorPassword, { signUp: true, name: `Load Annotator ${index + 1}` });
    const project = copies[Math.floor(index / annotatorsPerProject)]!;
    await owner.expect(201, "POST", `/api/projects/${project.id}/members`, { email, role: "annotator" });
    ledger.addUser(id);
    annotators[index] = { userId: id, email, client, project };
  });
  log(`load: ${annotatorCount} annotators signed up and signed in, ${annotatorsPerProject} per project`);

  // A first batch per annotator and article, through the batch create (one request each), tracked like the rest.
  let seeded = 0;
  await inBatches(annotators, 4, async (annotator, index) => {
    const random = randomSource(1000 + index);
    for (const article of annotator.project.articles) {
      const spans = new Map<string, Span>();
      while (spans.size < Math.min(seedPerArticle, article.spans.length)) {
        const span = pick(article.spans, random);
        spans.set(`${span.start}:${span.end}`, span);
      }
      const creates: MentionCreate[] = [...spans.values()].map((span, n) => {
        const entity = pick(annotator.project.entities, random);
        return { articleId: article.id, ...span, entityType: entity.type, entityId: entity.id, idempotencyKey: `seed-${index}-${article.id}-${n}` };
      });
      const body = { annotations: creates.map(({ articleId: _articleId, entityType: _type, ...create }) => ({ kind: "entity", ...create })) };
      const { annotations } = await annotator.client.expect<{ annotations: AnnotationAnswer[] }>(201, "POST", `/api/articles/${article.id}/annotations`, body);
      for (const answer of annotations) {
        const create = creates.find((candidate) => candidate.start === answer.start && candidate.end === answer.end);
        if (!create) throw new Error(`the batch create answered a span that was not sent: [${answer.start}, ${answer.end})`);
        ledger.ackCreate(annotator.userId, create, answer);
      }
      seeded += annotations.length;
    }
  });
  log(`load: seeded ${seeded} annotations (batch creates)`);

  const reviewers: HttpClient[] = [];
  for (let index = 0; index < reviewerSessions; index++) {
    const client = new HttpClient(port);
    await client.signIn(demoReviewer.email, demoReviewer.password);
    reviewers.push(client);
  }
  owner.close();
  return { projects: copies, annotators, reviewers, seededAnnotations: seeded };
}
