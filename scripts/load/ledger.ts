// The client's own record of every annotation write it sent and what came back, and the check of the database
// against it (load bench and crash test). INVARIANT: a write the server acknowledged (2xx with the annotation)
// must be in the database exactly as sent; a write that got no answer (socket error, timeout, a killed server) may
// or may not be, and nothing else may be there at all.
//
// Only entity mentions in annotators' own layers are tracked: the bench and the crash test make nothing else.

/** The fields of an entity mention that the verification compares. */
export interface MentionState {
  start: number;
  end: number;
  quote: string;
  entityType: string;
  /** null until the server has chosen it (a create by entityName whose answer never came). */
  entityId: string | null;
  version: number;
  deleted: boolean;
}

/** The body of a create, as sent (entityId, or entityType with entityName). */
export interface MentionCreate {
  articleId: string;
  start: number;
  end: number;
  quote: string;
  entityType: string;
  entityId?: string;
  entityName?: string;
  idempotencyKey: string;
}

/** What the server answers for an annotation (the fields used here). */
export interface AnnotationAnswer {
  id: string;
  articleId: string;
  userId: string | null;
  kind: string;
  start: number;
  end: number;
  quote: string;
  entityType: string | null;
  entityId: string | null;
  version: number;
  deletedAt: string | null;
}

interface Tracked {
  id: string;
  userId: string;
  articleId: string;
  idempotencyKey: string;
  /** The create as sent. */
  create: MentionCreate;
  /** States the database may hold: one when every write was answered, two after an unanswered patch or delete. */
  states: MentionState[];
  /** A write on it went unanswered: nothing more is sent for it. */
  isFrozen: boolean;
  auditedUpdates: number;
  auditedDeletes: number;
}

export interface AnnotationRowFacts {
  id: string;
  userId: string;
  articleId: string;
  kind: string;
  start: number;
  end: number;
  quote: string;
  entityId: string | null;
  entityType: string | null;
  version: number;
  deleted: boolean;
  idempotencyKey: string | null;
  /** Its article version exists and belongs to the same article. */
  versionOk: boolean;
}

export interface VerifyReport {
  acknowledgedCreates: number;
  acknowledgedPatches: number;
  acknowledgedDeletes: number;
  /** Sent creates that got no answer (and were not answered on a retry). */
  unansweredCreates: number;
  /** Unanswered creates found committed anyway: allowed (the answer was lost, not the write). */
  committedUnanswered: number;
  rowsChecked: number;
  /** Acknowledged creates missing from the database. */
  lost: string[];
  /** Acknowledged annotations whose fields differ from every state the client may expect. */
  mismatched: { id: string; expected: MentionState[]; actual: MentionState }[];
  /** Rows in these annotators' layers that no create (answered or not) accounts for. */
  phantom: AnnotationRowFacts[];
  /** Annotators whose live count is not acknowledged creates minus acknowledged deletes. */
  countMismatches: { userId: string; expectedLive: number; actualLive: number }[];
  /** Rows whose article version is missing or of another article. */
  orphans: string[];
  /** Annotations whose audit events do not match the acknowledged writes (create: exactly one). */
  auditProblems: { id: string; creates: number; updates: number; deletes: number; expected: string }[];
  /** (annotator, article) pairs with an annotation but no IN_PROGRESS/FINISHED status row. */
  missingStatuses: string[];
  /** Answers whose annotation differed from the request (checked when the answer came). */
  answerMismatches: string[];
  ok: boolean;
}

export type QueryRows = <T>(sql: string, params: unknown[]) => Promise<T[]>;

function stateOf(answer: AnnotationAnswer): MentionState {
  return {
    start: answer.start,
    end: answer.end,
    quote: answer.quote,
    entityType: answer.entityType ?? "",
    entityId: answer.entityId,
    version: answer.version,
    deleted: answer.deletedAt !== null,
  };
}

function sameState(expected: MentionState, actual: MentionState): boolean {
  return (
    expected.start === actual.start &&
    expected.end === actual.end &&
    expected.quote === actual.quote &&
    expected.entityType === actual.entityType &&
    (expected.entityId === null || expected.entityId === actual.entityId) &&
    expected.version === actual.version &&
    expected.deleted === actual.deleted
  );
}

export class Ledger {
  private readonly tracked = new Map<string, Tracked>();
  /** Per annotator, ids of live, unfrozen annotations (for picking one to patch or delete). */
  private readonly editable = new Map<string, string[]>();
  /** Creates without an answer, by `${userId} ${idempotencyKey}`. */
  private readonly unanswered = new Map<string, { userId: string; create: MentionCreate }>();
  private readonly userIds = new Set<string>();
  /** Acknowledged annotation ids by `${userId} ${idempotencyKey}`. */
  private readonly idsByKey = new Map<string, string>();
  readonly answerMismatches: string[] = [];
  acknowledgedCreates = 0;
  acknowledgedPatches = 0;
  acknowledgedDeletes = 0;
  /** Answers 200 (a replay) to a create with a key never used before. */
  unexpectedReplays = 0;

  addUser(userId: string): void {
    this.userIds.add(userId);
    if (!this.editable.has(userId)) this.editable.set(userId, []);
  }

  get users(): string[] {
    return [...this.userIds];
  }

  /** A create was answered 2xx with `answer`. `isReplay`: the answer was 200 (the key was seen before). */
  ackCreate(userId: string, create: MentionCreate, answer: AnnotationAnswer): void {
    this.addUser(userId);
    this.unanswered.delete(`${userId} ${create.idempotencyKey}`);
    const problems: string[] = [];
    if (answer.articleId !== create.articleId) problems.push("articleId");
    if (answer.userId !== userId) problems.push("userId");
    if (answer.kind !== "entity") problems.push("kind");
    if (answer.start !== create.start || answer.end !== create.end || answer.quote !== create.quote) problems.push("span");
    if (answer.entityType !== create.entityType) problems.push("entityType");
    if (create.entityId !== undefined && answer.entityId !== create.entityId) problems.push("entityId");
    if (problems.length) this.answerMismatches.push(`create ${answer.id}: ${problems.join(", ")}`);
    if (this.tracked.has(answer.id)) return; // a retry answered with the annotation already acknowledged
    this.acknowledgedCreates++;
    this.tracked.set(answer.id, {
      id: answer.id,
      userId,
      articleId: create.articleId,
      idempotencyKey: create.idempotencyKey,
      create,
      states: [{ ...stateOf(answer), entityType: create.entityType, start: create.start, end: create.end, quote: create.quote }],
      isFrozen: false,
      auditedUpdates: 0,
      auditedDeletes: 0,
    });
    this.idsByKey.set(`${userId} ${create.idempotencyKey}`, answer.id);
    this.editable.get(userId)!.push(answer.id);
  }

  /** The create that made an acknowledged annotation. */
  createOf(id: string): MentionCreate {
    const entry = this.tracked.get(id);
    if (!entry) throw new Error(`annotation ${id} is not in the ledger`);
    return entry.create;
  }

  /** The acknowledged annotation made with this key, if any. */
  idOfKey(userId: string, idempotencyKey: string): string | undefined {
    return this.idsByKey.get(`${userId} ${idempotencyKey}`);
  }

  /** A create got no answer: it may or may not have been committed; a retry with the same key settles it. */
  unansweredCreate(userId: string, create: MentionCreate): void {
    this.addUser(userId);
    this.unanswered.set(`${userId} ${create.idempotencyKey}`, { userId, create });
  }

  unansweredCreates(): { userId: string; create: MentionCreate }[] {
    return [...this.unanswered.values()];
  }

  /** A live annotation of this annotator that may be changed, or undefined. */
  pickEditable(userId: string, random: () => number): { id: string; state: MentionState; articleId: string } | undefined {
    const ids = this.editable.get(userId);
    if (!ids?.length) return undefined;
    const entry = this.tracked.get(ids[Math.floor(random() * ids.length)]!)!;
    return { id: entry.id, state: entry.states[0]!, articleId: entry.articleId };
  }

  private stopEditing(entry: Tracked): void {
    const ids = this.editable.get(entry.userId)!;
    const index = ids.indexOf(entry.id);
    if (index >= 0) {
      ids[index] = ids[ids.length - 1]!;
      ids.pop();
    }
  }

  /** A patch was answered 200. `changes` are the fields sent (besides version). */
  ackPatch(id: string, changes: Partial<MentionState>, answer: AnnotationAnswer): void {
    const entry = this.tracked.get(id)!;
    const before = entry.states[0]!;
    const expected: MentionState = { ...before, ...changes, version: before.version + 1 };
    if (!sameState(expected, stateOf(answer))) this.answerMismatches.push(`patch ${id}: sent ${JSON.stringify(changes)}, answered ${JSON.stringify(stateOf(answer))}`);
    entry.states = [{ ...expected, entityId: answer.entityId }];
    entry.auditedUpdates++;
    this.acknowledgedPatches++;
  }

  unansweredPatch(id: string, changes: Partial<MentionState>): void {
    const entry = this.tracked.get(id)!;
    const before = entry.states[0]!;
    entry.states = [before, { ...before, ...changes, version: before.version + 1 }];
    entry.isFrozen = true;
    this.stopEditing(entry);
  }

  ackDelete(id: string, answer: AnnotationAnswer): void {
    const entry = this.tracked.get(id)!;
    const before = entry.states[0]!;
    const expected: MentionState = { ...before, deleted: true, version: before.version + 1 };
    if (!sameState(expected, stateOf(answer))) this.answerMismatches.push(`delete ${id}: answered ${JSON.stringify(stateOf(answer))}`);
    entry.states = [expected];
    entry.auditedDeletes++;
    this.acknowledgedDeletes++;
    this.stopEditing(entry);
  }

  unansweredDelete(id: string): void {
    const entry = this.tracked.get(id)!;
    const before = entry.states[0]!;
    entry.states = [before, { ...before, deleted: true, version: before.version + 1 }];
    entry.isFrozen = true;
    this.stopEditing(entry);
  }

  /** Acknowledged creates of one annotator (answered ids). */
  acknowledgedIdsOf(userId: string): string[] {
    return [...this.tracked.values()].filter((entry) => entry.userId === userId).map((entry) => entry.id);
  }

  /**
   * Checks the database against the ledger: every acknowledged annotation present once with its expected fields,
   * nothing that no create accounts for, live counts, article versions, audit events and annotator statuses.
   */
  async verify(query: QueryRows): Promise<VerifyReport> {
    const users = this.users;
    const rows = await query<AnnotationRowFacts>(
      `select a."id", a."userId", a."articleId", a."kind"::text as "kind", a."start", a."end", a."quote", a."entityId",
              t."name" as "entityType", a."version", (a."deletedAt" is not null) as "deleted", a."idempotencyKey",
              (v."id" is not null and v."articleId" = a."articleId") as "versionOk"
         from "Annotation" a
         left join "EntityType" t on t."id" = a."entityTypeId"
         left join "ArticleVersion" v on v."id" = a."articleVersionId"
        where a."layer" = 'user' and a."userId" = any($1::text[])`,
      [users],
    );
    const audits = await query<{ id: string; action: string; n: number }>(
      `select "objectId" as "id", "action", count(*)::int as "n" from "AuditEvent"
        where "objectType" = 'annotation' and "actorId" = any($1::text[]) group by 1, 2`,
      [users],
    );
    const statuses = await query<{ userId: string; articleId: string; status: string }>(
      `select "userId", "articleId", "status"::text as "status" from "AnnotatorArticleStatus" where "userId" = any($1::text[])`,
      [users],
    );

    const byId = new Map(rows.map((row) => [row.id, row]));
    const auditCount = (id: string, action: string) => audits.find((audit) => audit.id === id && audit.action === action)?.n ?? 0;
    const report: VerifyReport = {
      acknowledgedCreates: this.acknowledgedCreates,
      acknowledgedPatches: this.acknowledgedPatches,
      acknowledgedDeletes: this.acknowledgedDeletes,
      unansweredCreates: this.unanswered.size,
      committedUnanswered: 0,
      rowsChecked: rows.length,
      lost: [],
      mismatched: [],
      phantom: [],
      countMismatches: [],
      orphans: rows.filter((row) => !row.versionOk).map((row) => row.id),
      auditProblems: [],
      missingStatuses: [],
      answerMismatches: [...this.answerMismatches],
      ok: false,
    };

    const expectedLive = new Map(users.map((userId) => [userId, 0]));
    const uncertainLive = new Map(users.map((userId) => [userId, 0]));
    for (const entry of this.tracked.values()) {
      const row = byId.get(entry.id);
      if (entry.states.every((state) => !state.deleted)) expectedLive.set(entry.userId, expectedLive.get(entry.userId)! + 1);
      else if (entry.states.some((state) => !state.deleted)) uncertainLive.set(entry.userId, uncertainLive.get(entry.userId)! + 1);
      if (!row) {
        report.lost.push(entry.id);
        continue;
      }
      const actual: MentionState = {
        start: row.start,
        end: row.end,
        quote: row.quote,
        entityType: row.entityType ?? "",
        entityId: row.entityId,
        version: row.version,
        deleted: row.deleted,
      };
      const isExpected =
        row.userId === entry.userId && row.articleId === entry.articleId && row.idempotencyKey === entry.idempotencyKey && row.kind === "entity" && entry.states.some((state) => sameState(state, actual));
      if (!isExpected) report.mismatched.push({ id: entry.id, expected: entry.states, actual });
      const creates = auditCount(entry.id, "annotation.create");
      const updates = auditCount(entry.id, "annotation.update");
      const deletes = auditCount(entry.id, "annotation.delete");
      const isAuditOk = creates === 1 && (entry.isFrozen ? updates >= entry.auditedUpdates && deletes >= entry.auditedDeletes : updates === entry.auditedUpdates && deletes === entry.auditedDeletes);
      if (!isAuditOk) report.auditProblems.push({ id: entry.id, creates, updates, deletes, expected: `1 create, ${entry.auditedUpdates} updates, ${entry.auditedDeletes} deletes` });
    }

    for (const row of rows) {
      if (this.tracked.has(row.id)) continue;
      if (row.idempotencyKey !== null && this.unanswered.has(`${row.userId} ${row.idempotencyKey}`)) {
        report.committedUnanswered++;
        if (!row.deleted) uncertainLive.set(row.userId, uncertainLive.get(row.userId)! + 1);
        if (auditCount(row.id, "annotation.create") !== 1) {
          report.auditProblems.push({ id: row.id, creates: auditCount(row.id, "annotation.create"), updates: 0, deletes: 0, expected: "1 create (committed, unanswered)" });
        }
        continue;
      }
      report.phantom.push(row);
    }

    for (const userId of users) {
      const actualLive = rows.filter((row) => row.userId === userId && !row.deleted).length;
      const low = expectedLive.get(userId)!;
      const high = low + uncertainLive.get(userId)!;
      if (actualLive < low || actualLive > high) report.countMismatches.push({ userId, expectedLive: low, actualLive });
    }

    const statusKeys = new Set(statuses.filter((status) => status.status !== "NEW").map((status) => `${status.userId} ${status.articleId}`));
    for (const key of new Set(rows.map((row) => `${row.userId} ${row.articleId}`))) {
      if (!statusKeys.has(key)) report.missingStatuses.push(key);
    }

    report.ok =
      report.lost.length === 0 &&
      report.mismatched.length === 0 &&
      report.phantom.length === 0 &&
      report.countMismatches.length === 0 &&
      report.orphans.length === 0 &&
      report.auditProblems.length === 0 &&
      report.missingStatuses.length === 0 &&
      report.answerMismatches.length === 0;
    return report;
  }
}

/** One line per kind of problem, for logs and assertion messages. */
export function describeReport(report: VerifyReport): string {
  const lines = [
    `acknowledged: ${report.acknowledgedCreates} creates, ${report.acknowledgedPatches} patches, ${report.acknowledgedDeletes} deletes; ${report.rowsChecked} rows checked`,
    `unanswered creates: ${report.unansweredCreates} (${report.committedUnanswered} of them committed anyway)`,
    `lost: ${report.lost.length}, phantom: ${report.phantom.length}, mismatched: ${report.mismatched.length}, live-count mismatches: ${report.countMismatches.length}`,
    `orphans: ${report.orphans.length}, audit problems: ${report.auditProblems.length}, missing statuses: ${report.missingStatuses.length}, answer mismatches: ${report.answerMismatches.length}`,
  ];
  const sample = <T>(label: string, items: T[]) => {
    if (items.length) lines.push(`${label}: ${JSON.stringify(items.slice(0, 3))}${items.length > 3 ? ` … (${items.length})` : ""}`);
  };
  sample("lost", report.lost);
  sample("phantom", report.phantom);
  sample("mismatched", report.mismatched);
  sample("count mismatches", report.countMismatches);
  sample("orphans", report.orphans);
  sample("audit problems", report.auditProblems);
  sample("missing statuses", report.missingStatuses);
  sample("answer mismatches", report.answerMismatches);
  return lines.join("\n");
}
