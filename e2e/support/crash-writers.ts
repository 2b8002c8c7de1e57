// Writers for the crash test: annotators that stream entity-mention creates (single ones, or batches of five) with
// a fresh idempotency key each, recording in a Ledger what was acknowledged and what got no answer, until told to
// stop; and the retry of everything unanswered with the same keys.
import { HttpClient } from "../../scripts/load/http-client.ts";
import type { AnnotationAnswer, Ledger, MentionCreate } from "../../scripts/load/ledger.ts";
import { pick, randomSource, type Span } from "../../scripts/load/spans.ts";

export interface CrashArticle {
  id: string;
  spans: Span[];
}

export interface Writer {
  name: string;
  userId: string;
  client: HttpClient;
  /** Creates per request: 1 sends single creates, more sends `{annotations: [...]}` batches. */
  batchSize: number;
}

export interface SentBatch {
  writer: Writer;
  articleId: string;
  creates: MentionCreate[];
}

export interface StreamTally {
  requests: number;
  acknowledged: number;
  /** Requests without an answer (in flight when the server died, or refused after). */
  unanswered: SentBatch[];
  /** Answers other than 2xx or no answer, before the kill: a healthy server should give none. */
  failuresBeforeKill: string[];
}

function bodyOf(create: MentionCreate) {
  return { kind: "entity", start: create.start, end: create.end, quote: create.quote, entityId: create.entityId, idempotencyKey: create.idempotencyKey };
}

/** Sends one request of `batch` and records its outcome; returns whether it was acknowledged. */
export async function sendBatch(batch: SentBatch, ledger: Ledger): Promise<{ status: number; error?: string; ids: string[] }> {
  const { writer, articleId, creates } = batch;
  const path = `/api/articles/${articleId}/annotations`;
  const answer = await writer.client.request("POST", path, { json: writer.batchSize === 1 ? bodyOf(creates[0]!) : { annotations: creates.map(bodyOf) }, timeoutMs: 20_000 });
  if (answer.status === 200 || answer.status === 201) {
    const parsed = JSON.parse(answer.body) as AnnotationAnswer | { annotations: AnnotationAnswer[] };
    const annotations = "annotations" in parsed ? parsed.annotations : [parsed];
    for (const annotation of annotations) {
      const create = creates.find((candidate) => candidate.start === annotation.start && candidate.end === annotation.end);
      if (!create) throw new Error(`${writer.name}: the answer holds a span that was not sent: [${annotation.start}, ${annotation.end})`);
      ledger.ackCreate(writer.userId, create, annotation);
    }
    return { status: answer.status, ids: annotations.map((annotation) => annotation.id) };
  }
  if (answer.status === 0) for (const create of creates) ledger.unansweredCreate(writer.userId, create);
  return { status: answer.status, error: answer.error ?? answer.body.slice(0, 300), ids: [] };
}

/**
 * Streams creates from every writer at once, one request in flight per writer, until `shouldStop()`; each request
 * has new idempotency keys and distinct spans.
 */
export async function streamCreates({
  writers,
  articles,
  entityIds,
  ledger,
  shouldStop,
  isKilled,
}: {
  writers: Writer[];
  articles: CrashArticle[];
  entityIds: { id: string; type: string }[];
  ledger: Ledger;
  shouldStop(): boolean;
  isKilled(): boolean;
}): Promise<StreamTally> {
  const tally: StreamTally = { requests: 0, acknowledged: 0, unanswered: [], failuresBeforeKill: [] };
  await Promise.all(
    writers.map(async (writer, index) => {
      const random = randomSource(31 * (index + 1));
      for (let sequence = 0; !shouldStop(); sequence++) {
        const article = pick(articles, random);
        const spans = new Map<number, Span>();
        while (spans.size < writer.batchSize) {
          const span = pick(article.spans, random);
          spans.set(span.start, span);
        }
        const creates = [...spans.values()].map((span, n): MentionCreate => {
          const entity = pick(entityIds, random);
          return { articleId: article.id, ...span, entityType: entity.type, entityId: entity.id, idempotencyKey: `crash-${writer.name}-${sequence}-${n}` };
        });
        const batch = { writer, articleId: article.id, creates };
        const killedBefore = isKilled();
        tally.requests++;
        const outcome = await sendBatch(batch, ledger);
        if (outcome.ids.length) tally.acknowledged += outcome.ids.length;
        else if (outcome.status === 0) tally.unanswered.push(batch);
        if (!outcome.ids.length && !killedBefore && !isKilled()) tally.failuresBeforeKill.push(`${writer.name}: ${outcome.status} ${outcome.error}`);
        // Once the server is gone, one refused request per writer is enough.
        if (outcome.status === 0 && isKilled()) break;
      }
    }),
  );
  return tally;
}
