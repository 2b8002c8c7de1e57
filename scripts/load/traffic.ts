// The load itself: one loop per signed-in user, each with one request in flight at a time (a closed loop, as a
// person at a keyboard: act, wait for the answer, think, act again), until the deadline. Annotators mostly create
// entity mentions (valid offsets and quotes, a new idempotency key each), sometimes move/relabel or delete one of
// their own, and reload their reader page; reviewers read review pages and the agreement figures. Every write and
// its answer go into the ledger, which the database is checked against afterwards.
import { performance } from "node:perf_hooks";
import { percentile } from "../bench-stats.ts";
import type { HttpAnswer, HttpClient } from "./http-client.ts";
import type { AnnotationAnswer, Ledger, MentionCreate, MentionState } from "./ledger.ts";
import type { LoadAnnotator, LoadSetup } from "./setup.ts";
import { pick, randomSource, seedOf } from "./spans.ts";

export const endpoints = ["POST annotation", "PATCH annotation", "DELETE annotation", "GET reader page", "GET review page", "GET agreement"] as const;
export type Endpoint = (typeof endpoints)[number];
export const writeEndpoints: readonly Endpoint[] = ["POST annotation", "PATCH annotation", "DELETE annotation"];

const entityTypes = ["PER", "ORG", "LOC", "MISC"];
/** Shares of an annotator's actions (the rest: reloading the reader page). */
const annotatorMix = { create: 0.7, patch: 0.12, delete: 0.08 };
/** Share of a reviewer's actions that read a review page (the rest: agreement). */
const reviewPageShare = 0.6;
/** Share of creates that name the entity (find-or-create) rather than pick its id. */
const byNameShare = 0.15;

export class EndpointStats {
  readonly latencies: number[] = [];
  /** Answers by status ("0 ECONNRESET" for socket errors). */
  readonly statuses = new Map<string, number>();
  readonly errorSamples: string[] = [];

  record(answer: HttpAnswer): boolean {
    this.latencies.push(answer.ms);
    const key = answer.status === 0 ? `0 ${answer.error ?? "error"}` : String(answer.status);
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    const isOk = answer.status >= 200 && answer.status < 300;
    if (!isOk && this.errorSamples.length < 3) this.errorSamples.push(`${key}: ${answer.body.slice(0, 300)}`);
    return isOk;
  }

  get count(): number {
    return this.latencies.length;
  }

  get errors(): number {
    let errors = 0;
    for (const [status, count] of this.statuses) if (!status.startsWith("2")) errors += count;
    return errors;
  }

  summary() {
    const round = (value: number) => Math.round(value * 10) / 10;
    return {
      count: this.count,
      errors: this.errors,
      statuses: Object.fromEntries(this.statuses),
      p50: this.count ? round(percentile(this.latencies, 50)) : null,
      p95: this.count ? round(percentile(this.latencies, 95)) : null,
      p99: this.count ? round(percentile(this.latencies, 99)) : null,
      max: this.count ? round(Math.max(...this.latencies)) : null,
      errorSamples: this.errorSamples,
    };
  }
}

export interface TrafficResult {
  elapsedMs: number;
  stats: Record<Endpoint, EndpointStats>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface LoopContext {
  ledger: Ledger;
  stats: Record<Endpoint, EndpointStats>;
  deadline: number;
  thinkMs: number;
  /** Makes this run's idempotency keys (and random choices) differ from another run's on the same users. */
  phase: string;
}

async function annotatorLoop(annotator: LoadAnnotator, index: number, { ledger, stats, deadline, thinkMs, phase }: LoopContext) {
  const random = randomSource(7919 * (index + 1) + seedOf(phase));
  const { client, userId, project } = annotator;
  let sequence = 0;

  const create = async () => {
    const article = pick(project.articles, random);
    const span = pick(article.spans, random);
    const idempotencyKey = `load-${phase}-${index}-${sequence++}`;
    let create: MentionCreate;
    if (random() < byNameShare) {
      create = { articleId: article.id, ...span, entityType: pick(entityTypes, random), entityName: span.quote, idempotencyKey };
    } else {
      const entity = pick(project.entities, random);
      create = { articleId: article.id, ...span, entityType: entity.type, entityId: entity.id, idempotencyKey };
    }
    const { articleId: _articleId, ...fields } = create;
    const body = create.entityId !== undefined ? { ...fields, entityType: undefined } : fields;
    const answer = await client.request("POST", `/api/articles/${article.id}/annotations`, { json: { kind: "entity", ...body } });
    if (stats["POST annotation"].record(answer)) {
      if (answer.status !== 201) ledger.unexpectedReplays++;
      ledger.ackCreate(userId, create, JSON.parse(answer.body) as AnnotationAnswer);
    } else if (answer.status === 0) {
      ledger.unansweredCreate(userId, create);
    }
  };

  const patch = async () => {
    const target = ledger.pickEditable(userId, random);
    if (!target) return create();
    let changes: Partial<MentionState>;
    if (random() < 0.5) {
      changes = { entityType: pick(entityTypes.filter((type) => type !== target.state.entityType), random) };
    } else {
      const article = project.articles.find((candidate) => candidate.id === target.articleId)!;
      const span = pick(article.spans, random);
      if (span.start === target.state.start && span.end === target.state.end) return create();
      changes = { start: span.start, end: span.end, quote: span.quote };
    }
    const answer = await client.request("PATCH", `/api/annotations/${target.id}`, { json: { version: target.state.version, ...changes } });
    if (stats["PATCH annotation"].record(answer)) ledger.ackPatch(target.id, changes, JSON.parse(answer.body) as AnnotationAnswer);
    else if (answer.status === 0) ledger.unansweredPatch(target.id, changes);
  };

  const remove = async () => {
    const target = ledger.pickEditable(userId, random);
    if (!target) return create();
    const answer = await client.request("DELETE", `/api/annotations/${target.id}?version=${target.state.version}`);
    if (stats["DELETE annotation"].record(answer)) ledger.ackDelete(target.id, JSON.parse(answer.body) as AnnotationAnswer);
    else if (answer.status === 0) ledger.unansweredDelete(target.id);
  };

  const readPage = async () => {
    const article = pick(project.articles, random);
    stats["GET reader page"].record(await client.request("GET", `/articles/${article.id}`));
  };

  while (performance.now() < deadline) {
    const roll = random();
    if (roll < annotatorMix.create) await create();
    else if (roll < annotatorMix.create + annotatorMix.patch) await patch();
    else if (roll < annotatorMix.create + annotatorMix.patch + annotatorMix.delete) await remove();
    else await readPage();
    if (thinkMs > 0) await sleep(thinkMs * (0.5 + random()));
  }
}

async function reviewerLoop(client: HttpClient, index: number, setup: LoadSetup, { stats, deadline, thinkMs, phase }: LoopContext) {
  const random = randomSource(104_729 * (index + 1) + seedOf(phase));
  while (performance.now() < deadline) {
    const project = pick(setup.projects, random);
    if (random() < reviewPageShare) {
      const article = pick(project.articles, random);
      stats["GET review page"].record(await client.request("GET", `/articles/${article.id}/review`));
    } else {
      stats["GET agreement"].record(await client.request("GET", `/api/projects/${project.id}/agreement`));
    }
    if (thinkMs > 0) await sleep(thinkMs * (0.5 + random()));
  }
}

/**
 * Drives every annotator and reviewer session at once for `durationMs`; resolves when the last answer is in.
 * `phase` names the run (unique per call: it is part of every idempotency key).
 */
export async function driveTraffic({
  setup,
  ledger,
  durationMs,
  thinkMs,
  phase,
}: {
  setup: LoadSetup;
  ledger: Ledger;
  durationMs: number;
  thinkMs: number;
  phase: string;
}): Promise<TrafficResult> {
  const stats = Object.fromEntries(endpoints.map((endpoint) => [endpoint, new EndpointStats()])) as Record<Endpoint, EndpointStats>;
  const started = performance.now();
  const context: LoopContext = { ledger, stats, deadline: started + durationMs, thinkMs, phase };
  await Promise.all([
    ...setup.annotators.map((annotator, index) => annotatorLoop(annotator, index, context)),
    ...setup.reviewers.map((client, index) => reviewerLoop(client, index, setup, context)),
  ]);
  return { elapsedMs: performance.now() - started, stats };
}
