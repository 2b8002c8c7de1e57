import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { beforeAll, describe, expect, test } from "vitest";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/server/auth/password";
import { callRoute, expectApiError, type ApiResponse, type CallOptions } from "../helpers/api";
import { discoverApiRoutes, routePath, type ApiRoute } from "../helpers/api-routes";
import { testPassword } from "../helpers/factories";
import {
  actorNames,
  buildWorld,
  cookieOf,
  freshAccount,
  freshArticle,
  freshCookie,
  freshDeletedMention,
  freshEntity,
  freshGold,
  freshMention,
  freshReviewGroup,
  freshToken,
  uniqueSuffix,
  userLayerIds,
  worldText,
  type ActorName,
  type World,
} from "../helpers/world";

/*
 * The authorization matrix of the public API (../shared/API.md): every route and method under app/api, found on disk,
 * called in-process by every kind of caller. The table below must name each route+method; a new route, a new method
 * or a removed one fails the "covers every route" test until the table says how it should behave.
 *
 * Columns: anonymous; ana, the annotator whose object it is; ben, another annotator of the same project; a reviewer;
 * the owner; an outsider, signed in but not a member. Cells: 401 not signed in, 403 a member lacking the role (or the
 * object is visible but not theirs to change), 404 not visible (another project's object, another annotator's layer),
 * 422 a member's invalid query (judged only after who may ask: outsiders learn nothing, not even that), ok any 2xx.
 * Besides the status, every error has the API error shape, and no 2xx answer to an annotator holds an
 * annotation of the other annotator's layer.
 */

const ok = "2xx" as const;
type Outcome = typeof ok | 401 | 403 | 404 | 422;
type Row6 = [anonymous: Outcome, ana: Outcome, ben: Outcome, reviewer: Outcome, owner: Outcome, outsider: Outcome];

interface Call extends Omit<CallOptions, "as"> {
  query?: string;
  /** Replaces the actor's own session cookie (requests that end or rotate a session get a fresh one). */
  as?: CallOptions["as"];
  /** Undoes what the request did to the actor's account, so that the rows after it find the world as it was. */
  after?: () => Promise<void>;
}

interface MatrixRow {
  key: string;
  /** What is asked of which object, when one route+method has several rows. */
  label: string;
  expect: Row6;
  call: (actor: ActorName) => Promise<Call> | Call;
}

let world: World;
const w = () => world;

const row = (key: string, label: string, expected: Row6, call: MatrixRow["call"]): MatrixRow => ({ key, label, expect: expected, call });
const article = () => ({ params: { id: w().article.id } });
const project = () => ({ params: { id: w().projectId } });
const mentionBody = () => ({ kind: "entity", start: 0, end: 8, quote: "Hollande", entityId: w().entities.hollande.id });
const importZip = () => {
  const form = new FormData();
  form.append("file", new File([zipSync({ [`a-${uniqueSuffix()}.txt`]: strToU8("Paris is in France.") })], "corpus.zip"));
  return form;
};

// prettier-ignore
const matrix: MatrixRow[] = [
  //                                                                                       anon  ana   ben   rev   owner outsider
  row("GET /api/auth/me",                             "the signed-in user",               [401, ok,   ok,   ok,   ok,   ok ], () => ({})),
  row("POST /api/auth/login",                         "sign in (a fresh session)",        [ok,  ok,   ok,   ok,   ok,   ok ], async (actor) => ({ json: { email: w().users.ben.email, password: testPassword }, as: await freshCookie(w(), actor) })),
  row("POST /api/auth/logout",                        "sign out (a fresh session)",       [ok,  ok,   ok,   ok,   ok,   ok ], async (actor) => ({ as: await freshCookie(w(), actor) })),
  row("POST /api/auth/signup",                        "a new account",                    [ok,  ok,   ok,   ok,   ok,   ok ], async (actor) => ({ json: { email: `new-${uniqueSuffix()}@example.org`, name: "New", password: testPassword }, as: await freshCookie(w(), actor) })),
  row("POST /api/auth/password",                      "change my password",               [401, ok,   ok,   ok,   ok,   ok ], async (actor) => ({ json: { currentPassword: testPassword, newPassword: `changed ${uniqueSuffix()}` }, as: await freshCookie(w(), actor), after: () => resetAccount(actor) })),
  row("GET /api/tokens",                              "my tokens",                        [401, ok,   ok,   ok,   ok,   ok ], () => ({})),
  row("POST /api/tokens",                             "a new token",                      [401, ok,   ok,   ok,   ok,   ok ], () => ({ json: { name: "script" } })),
  row("DELETE /api/tokens/[id]",                      "ana's token",                      [401, ok,   404,  404,  404,  404], async () => ({ params: { id: (await freshToken(w(), "ana")).id } })),
  row("GET /api/projects",                            "my projects",                      [401, ok,   ok,   ok,   ok,   ok ], () => ({})),
  row("POST /api/projects",                           "a new project",                    [401, ok,   ok,   ok,   ok,   ok ], () => ({ json: { name: "Another project" } })),
  row("GET /api/projects/[id]",                       "the project",                      [401, ok,   ok,   ok,   ok,   404], project),
  row("GET /api/projects/[id]/members",               "its members",                      [401, ok,   ok,   ok,   ok,   404], project),
  row("POST /api/projects/[id]/members",              "add an account as annotator",      [401, 403,  403,  403,  ok,   404], async () => ({ ...project(), json: { email: (await freshAccount()).email, role: "annotator" } })),
  row("GET /api/projects/[id]/articles",              "its articles",                     [401, ok,   ok,   ok,   ok,   404], project),
  row("POST /api/projects/[id]/articles",             "add an article (JSON)",            [401, ok,   ok,   ok,   ok,   404], () => ({ ...project(), json: { title: "Added", text: worldText } })),
  row("POST /api/projects/[id]/articles",             "add an article (file)",            [401, ok,   ok,   ok,   ok,   404], () => {
    const form = new FormData();
    form.append("file", new File([worldText], "added.txt"));
    return { ...project(), body: form };
  }),
  row("GET /api/projects/[id]/entities",              "its entities",                     [401, ok,   ok,   ok,   ok,   404], project),
  row("GET /api/projects/[id]/entities",              "a bad query",                      [401, 422,  422,  422,  422,  404], () => ({ ...project(), query: `q=${"x".repeat(301)}` })),
  row("POST /api/projects/[id]/entities",             "a new entity",                     [401, ok,   ok,   ok,   ok,   404], () => ({ ...project(), json: { name: `Entity ${uniqueSuffix()}`, type: "ORG" } })),
  row("GET /api/projects/[id]/agreement",             "agreement figures",                [401, 403,  403,  ok,   ok,   404], project),
  row("GET /api/projects/[id]/agreement",             "an unknown type",                  [401, 403,  403,  422,  422,  404], () => ({ ...project(), query: "type=NOPE" })),
  row("GET /api/projects/[id]/agreement",             "a bad query",                      [401, 403,  403,  422,  422,  404], () => ({ ...project(), query: `type=${"x".repeat(101)}` })),
  row("GET /api/projects/[id]/export",                "layer=gold",                       [401, ok,   ok,   ok,   ok,   404], () => ({ ...project(), query: "format=jsonl&layer=gold" })),
  row("GET /api/projects/[id]/export",                "layer=mine",                       [401, ok,   ok,   ok,   ok,   404], () => ({ ...project(), query: "format=jsonl&layer=mine" })),
  row("GET /api/projects/[id]/export",                "layer=all",                        [401, 403,  403,  ok,   ok,   404], () => ({ ...project(), query: "format=jsonl&layer=all" })),
  row("GET /api/projects/[id]/export",                "layer=<ana's email>",              [401, ok,   403,  ok,   ok,   404], () => ({ ...project(), query: `format=jsonl&layer=${encodeURIComponent(w().users.ana.email)}` })),
  row("GET /api/projects/[id]/export",                "layer=<ben's id>, brat",           [401, 403,  ok,   ok,   ok,   404], () => ({ ...project(), query: `format=brat&layer=${w().users.ben.id}` })),
  row("POST /api/projects/[id]/import",               "a brat zip",                       [401, 403,  403,  ok,   ok,   404], () => ({ ...project(), body: importZip() })),
  row("GET /api/articles/[id]",                       "the article",                      [401, ok,   ok,   ok,   ok,   404], article),
  row("PUT /api/articles/[id]/status",                "my progress",                      [401, ok,   ok,   ok,   ok,   404], () => ({ ...article(), json: { status: "IN_PROGRESS" } })),
  row("GET /api/articles/[id]/annotations",           "layer=mine",                       [401, ok,   ok,   ok,   ok,   404], () => ({ ...article(), query: "layer=mine" })),
  row("GET /api/articles/[id]/annotations",           "layer=gold",                       [401, ok,   ok,   ok,   ok,   404], () => ({ ...article(), query: "layer=gold" })),
  row("GET /api/articles/[id]/annotations",           "layer=all",                        [401, 403,  403,  ok,   ok,   404], () => ({ ...article(), query: "layer=all" })),
  row("GET /api/articles/[id]/annotations",           "a bad query",                      [401, 422,  422,  422,  422,  404], () => ({ ...article(), query: "layer=theirs" })),
  row("POST /api/articles/[id]/annotations",          "a mention in my layer",            [401, ok,   ok,   ok,   ok,   404], () => ({ ...article(), json: mentionBody() })),
  row("POST /api/articles/[id]/annotations",          "a batch in my layer",              [401, ok,   ok,   ok,   ok,   404], () => ({ ...article(), json: { annotations: [mentionBody(), mentionBody()] } })),
  row("GET /api/articles/[id]/review",                "the review",                       [401, 403,  403,  ok,   ok,   404], article),
  row("GET /api/articles/[id]/review",                "the packed review",                [401, 403,  403,  ok,   ok,   404], () => ({ ...article(), query: "packed=1" })),
  row("GET /api/articles/[id]/review",                "a bad query",                      [401, 403,  403,  422,  422,  404], () => ({ ...article(), query: "packed=yes" })),
  row("PUT /api/articles/[id]/review-status",         "the review status",                [401, 403,  403,  ok,   ok,   404], () => ({ ...article(), json: { status: "IN_REVIEW" } })),
  row("POST /api/articles/[id]/review-notes",         "a note on a new group",            [401, 403,  403,  ok,   ok,   404], async () => {
    const { articleId, groupKey } = await freshReviewGroup(w());
    return { params: { id: articleId }, json: { groupKey, note: "Check the span." } };
  }),
  row("POST /api/articles/[id]/gold",                 "{annotationId} of ana's",          [401, 403,  403,  ok,   ok,   404], async () => {
    const fresh = await freshArticle(w());
    return { params: { id: fresh.id }, json: { annotationId: (await freshMention(w(), "ana", fresh)).id } };
  }),
  row("POST /api/articles/[id]/gold",                 "a full annotation body",           [401, 403,  403,  ok,   ok,   404], async () => ({ params: { id: (await freshArticle(w())).id }, json: { kind: "entity", start: 22, end: 28, quote: "Moscow", entityId: w().entities.moscow.id } })),
  row("POST /api/articles/[id]/gold/accept-agreed",   "accept agreed groups",             [401, 403,  403,  ok,   ok,   404], article),
  row("PATCH /api/annotations/[id]",                  "ana's mention",                    [401, ok,   404,  403,  403,  404], async () => ({ params: { id: (await freshMention(w(), "ana")).id }, json: { version: 1, entityId: w().entities.moscow.id } })),
  row("PATCH /api/annotations/[id]",                  "a gold item",                      [401, 403,  403,  ok,   ok,   404], async () => ({ params: { id: (await freshGold(w())).id }, json: { version: 1, entityType: "MISC" } })),
  row("DELETE /api/annotations/[id]",                 "ana's mention",                    [401, ok,   404,  403,  403,  404], async () => ({ params: { id: (await freshMention(w(), "ana")).id }, query: "version=1" })),
  row("DELETE /api/annotations/[id]",                 "a gold item",                      [401, 403,  403,  ok,   ok,   404], async () => ({ params: { id: (await freshGold(w())).id } })),
  row("POST /api/annotations/[id]/restore",           "ana's deleted mention",            [401, ok,   404,  ok,   ok,   404], async () => ({ params: { id: (await freshDeletedMention(w(), "ana")).id }, query: "version=2" })),
  row("POST /api/annotations/[id]/restore",           "a deleted gold item",              [401, 403,  403,  ok,   ok,   404], async () => {
    const gold = await freshGold(w());
    await callRoute(handlerOf("DELETE /api/annotations/[id]"), "DELETE", `/api/annotations/${gold.id}`, { params: { id: gold.id }, as: w().users.reviewer.cookie });
    return { params: { id: gold.id } };
  }),
  row("GET /api/annotations/[id]/history",            "ana's mention",                    [401, ok,   404,  ok,   ok,   404], () => ({ params: { id: w().annotations.ana[0]! } })),
  row("GET /api/annotations/[id]/history",            "a gold item",                      [401, 403,  403,  ok,   ok,   404], () => ({ params: { id: w().annotations.gold[0]! } })),
  row("GET /api/articles/[id]/layers/restore",        "deleted annotations I may restore",[401, ok,   ok,   ok,   ok,   404], article),
  row("GET /api/articles/[id]/layers/restore",        "a bad query",                      [401, 422,  422,  422,  422,  404], () => ({ ...article(), query: "deletedSince=yesterday" })),
  row("POST /api/articles/[id]/layers/restore",       "restore ana's layer",              [401, ok,   403,  ok,   ok,   404], async () => {
    await freshDeletedMention(w(), "ana");
    return { ...article(), json: { annotatorId: w().users.ana.id } };
  }),
  row("PATCH /api/entities/[id]",                     "a project entity",                 [401, ok,   ok,   ok,   ok,   404], async () => ({ params: { id: (await freshEntity(w())).id }, json: { aliases: ["Alias"] } })),
  row("POST /api/entities/[id]/merge",                "merge into another",               [401, ok,   ok,   ok,   ok,   404], async () => ({ params: { id: (await freshEntity(w())).id }, json: { intoEntityId: (await freshEntity(w())).id } })),
  row("GET /api/entities/[id]/occurrences",           "untagged places",                  [401, ok,   ok,   ok,   ok,   404], () => ({ params: { id: w().entities.zanzibar.id } })),
  row("GET /api/entities/[id]/occurrences",           "a bad query",                      [401, 422,  422,  422,  422,  404], () => ({ params: { id: w().entities.zanzibar.id }, query: `exceptArticleId=${"x".repeat(101)}` })),
];

let routes: ApiRoute[];
function handlerOf(key: string) {
  const route = routes.find((candidate) => candidate.key === key);
  if (!route) throw new Error(`No route ${key} under app/api (a stale matrix row?)`);
  return route.handler;
}

beforeAll(async () => {
  routes = await discoverApiRoutes();
  world = await buildWorld();
});

/** A password change ends every session of the account: give the actor back their password and a session. */
async function resetAccount(actor: ActorName) {
  if (actor === "anonymous") return;
  const user = world.users[actor];
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(testPassword) } });
  user.cookie = (await freshCookie(world, actor))!;
}

/** Sends the row's request as `actor`. */
async function send(matrixRow: MatrixRow, actor: ActorName, as?: CallOptions["as"]): Promise<ApiResponse> {
  const { query, params, as: override, after, ...options } = await matrixRow.call(actor);
  const [method, pattern] = matrixRow.key.split(" ") as [string, string];
  const credentials = as !== undefined ? as : override !== undefined ? override : cookieOf(world, actor);
  try {
    return await callRoute(handlerOf(matrixRow.key), method, routePath(pattern, params, query), { ...options, params, as: credentials });
  } finally {
    await after?.();
  }
}

function expectOutcome(response: ApiResponse, expected: Outcome, what: string) {
  if (expected === ok) {
    expect(response.status, `${what}: ${JSON.stringify(response.body).slice(0, 500)}`).toBeGreaterThanOrEqual(200);
    expect(response.status, what).toBeLessThan(300);
  } else {
    expectApiError(response, expected);
  }
}

/**
 * Fails when a response holds an annotation id of `forbidden` anywhere but in a gold item's provenance
 * (derivedFromIds / derived_from: which annotator annotations a reviewer settled it from, not the annotations).
 */
function expectNoForeignAnnotations(response: ApiResponse, forbidden: Set<string>, what: string) {
  const values: unknown[] =
    typeof response.body === "string"
      ? response.body.split("\n").flatMap((line) => {
          try {
            return [JSON.parse(line) as unknown];
          } catch {
            return [line];
          }
        })
      : [response.body];
  const leaks: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === "string") {
      for (const id of forbidden) if (value.includes(id)) leaks.push(`${path}: ${id}`);
    } else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) if (key !== "derivedFromIds" && key !== "derived_from") walk(child, `${path}.${key}`);
    }
  };
  values.forEach((value, index) => walk(value, `[${index}]`));
  expect(leaks, `${what} leaks another annotator's annotations`).toEqual([]);
}

/** RFC 4180 records (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted && char === '"' && text[index + 1] === '"') {
      field += '"';
      index++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && (char === "," || char === "\n")) {
      record.push(field.replace(/\r$/, ""));
      field = "";
      if (char === "\n") {
        records.push(record);
        record = [];
      }
    } else {
      field += char;
    }
  }
  if (field || record.length) records.push([...record, field]);
  return records;
}

test("the matrix covers every route and method under app/api, and nothing else", () => {
  const discovered = new Set(routes.map((route) => route.key));
  const listed = new Set(matrix.map((matrixRow) => matrixRow.key));
  expect([...discovered].filter((key) => !listed.has(key)), "routes without a matrix row: add one").toEqual([]);
  expect([...listed].filter((key) => !discovered.has(key)), "matrix rows of no route: remove them").toEqual([]);
  expect(routes.length).toBeGreaterThan(30);
});

describe.each(matrix)("$key – $label", (matrixRow) => {
  test.each(actorNames.map((actor, index) => [actor, matrixRow.expect[index]!] as const))("%s → %s", async (actor, expected) => {
    const response = await send(matrixRow, actor);
    expectOutcome(response, expected, `${matrixRow.key} (${matrixRow.label}) as ${actor}`);
    if ((actor === "ana" || actor === "ben") && response.status < 300) {
      const other = actor === "ana" ? world.users.ben : world.users.ana;
      expectNoForeignAnnotations(response, await userLayerIds(other.id), `${matrixRow.key} (${matrixRow.label}) as ${actor}`);
    }
  });
});

test("the leak check sees an annotation id anywhere but in a gold item's provenance", () => {
  const id = "cmleakedannotation0000000";
  const response = (body: unknown): ApiResponse => ({ status: 200, body, headers: new Headers() });
  expect(() => expectNoForeignAnnotations(response({ annotations: [{ nested: [`see ${id}`] }] }), new Set([id]), "json")).toThrow();
  expect(() => expectNoForeignAnnotations(response(`{"a":1}\n{"id":"${id}"}\n`), new Set([id]), "jsonl")).toThrow();
  expectNoForeignAnnotations(response({ gold: [{ derivedFromIds: [id] }], lines: [{ derived_from: [id] }] }), new Set([id]), "provenance");
});

describe("credentials", () => {
  const signedInOnly = matrix.filter((matrixRow) => matrixRow.expect[0] === 401);

  test.each(signedInOnly.map((matrixRow) => [matrixRow.key, matrixRow.label, matrixRow] as const))(
    "%s (%s): a forged cookie or bearer token is anonymous",
    async (_key, _label, matrixRow) => {
      expectApiError(await send(matrixRow, "ana", "spanlight_session=forged-session-secret"), 401);
      expectApiError(await send(matrixRow, "ana", { token: "spl_forged0000000000000000000000" }), 401);
    },
  );

  test.each(signedInOnly.map((matrixRow) => [matrixRow.key, matrixRow.label, matrixRow] as const))(
    "%s (%s): ana's API token is ana",
    async (_key, _label, matrixRow) => {
      const response = await send(matrixRow, "ana", { token: world.anaToken.token });
      expectOutcome(response, matrixRow.expect[1], `${matrixRow.key} (${matrixRow.label}) with ana's token`);
    },
  );
});

describe("an annotator never receives another annotator's layer", () => {
  // Every read an annotator may ask for, in each of its forms; 403/404 answers are fine, 2xx ones must hold no leak.
  const reads = (actor: "ana" | "ben"): [string, string, Call][] => {
    const other = actor === "ana" ? w().users.ben : w().users.ana;
    const articleId = w().article.id;
    const projectId = w().projectId;
    return [
      ...["mine", "gold", "all"].map((layer): [string, string, Call] => ["GET /api/articles/[id]/annotations", `layer=${layer}`, { params: { id: articleId }, query: `layer=${layer}` }]),
      ["GET /api/articles/[id]/review", "", { params: { id: articleId } }],
      ["GET /api/articles/[id]/review", "packed", { params: { id: articleId }, query: "packed=1" }],
      ["GET /api/articles/[id]/layers/restore", "", { params: { id: articleId } }],
      ["GET /api/projects/[id]/agreement", "", { params: { id: projectId } }],
      ["GET /api/projects/[id]/agreement", "type=LOC", { params: { id: projectId }, query: "type=LOC" }],
      ["GET /api/projects/[id]/articles", "", { params: { id: projectId } }],
      ["GET /api/entities/[id]/occurrences", "", { params: { id: w().entities.zanzibar.id } }],
      ...["gold", "mine", "all", other.id, other.email].flatMap((layer) =>
        ["jsonl", "spacy", "hf", "conll", "stance-csv", "brat", "bundle"].map((format): [string, string, Call] => [
          "GET /api/projects/[id]/export",
          `format=${format}&layer=${layer}`,
          { params: { id: projectId }, query: `format=${format}&layer=${encodeURIComponent(layer)}` },
        ]),
      ),
    ];
  };

  /** The answer as named texts: a zip's entries, or the one body. */
  async function readTexts(key: string, call: Call, cookie: string): Promise<{ status: number; texts: [name: string, text: string][] }> {
    const [, pattern] = key.split(" ") as [string, string];
    const request = new Request(`http://localhost${routePath(pattern, call.params, call.query)}`, { headers: { cookie } });
    const response = await handlerOf(key)(request, { params: Promise.resolve(call.params ?? {}) });
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 200) return { status: response.status, texts: [] };
    if (response.headers.get("content-type")?.startsWith("application/zip")) {
      return { status: 200, texts: Object.entries(unzipSync(bytes)).map(([name, entry]) => [name, strFromU8(entry)]) };
    }
    return { status: 200, texts: [["body", strFromU8(bytes)]] };
  }

  test.each(["ana", "ben"] as const)("%s", async (actor) => {
    const other = actor === "ana" ? world.users.ben : world.users.ana;
    const forbidden = await userLayerIds(other.id);
    expect(forbidden.size).toBeGreaterThan(0);
    // Spans only the other annotator tagged: a text export may hold their words, never with a label of theirs.
    const own = await db.annotation.findMany({ where: { OR: [{ userId: world.users[actor].id }, { layer: "gold" }], deletedAt: null }, select: { quote: true } });
    const ownQuotes = new Set(own.map((annotation) => annotation.quote));
    const theirs = await db.annotation.findMany({ where: { layer: "user", userId: other.id, deletedAt: null }, select: { kind: true, quote: true } });
    const privateMentions = theirs.filter((a) => a.kind === "entity" && !ownQuotes.has(a.quote)).map((a) => a.quote);
    const privateStances = theirs.filter((a) => a.kind === "stance" && !ownQuotes.has(a.quote)).map((a) => a.quote);
    expect(privateMentions).toContain(actor === "ana" ? "Zanzibar" : "Timbuktu");
    expect(privateStances).toContain(actor === "ana" ? "Ben alone tagged Zanzibar" : "They talked about Syria");
    for (const [key, label, call] of reads(actor)) {
      const { status, texts } = await readTexts(key, call, world.users[actor].cookie);
      const what = `${key} ${label} as ${actor}`;
      expect([200, 403, 404], what).toContain(status);
      for (const [name, text] of texts) {
        const where = `${what}, ${name}`;
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* JSON Lines, CSV, CoNLL, brat: checked line by line */
        }
        expectNoForeignAnnotations({ status, body, headers: new Headers() }, forbidden, where);
        if (name.endsWith(".conll") || label.startsWith("format=conll")) {
          // CoNLL: every token of a span only they tagged is O.
          const lines = text.split("\n");
          for (const word of privateMentions.flatMap((quote) => quote.split(/\s+/))) {
            for (const line of lines.filter((candidate) => candidate.split(/\s+/)[0] === word)) expect(line.trim(), where).toMatch(/\sO$/);
          }
        }
        if (name.endsWith(".csv") || label.startsWith("format=stance-csv")) {
          // The sentence column quotes the article text; the evidence (the stance's own span) must never be theirs.
          const [header, ...records] = parseCsv(text);
          const evidence = header!.indexOf("evidence");
          expect(evidence, where).toBeGreaterThanOrEqual(0);
          for (const record of records) expect(privateStances, where).not.toContain(record[evidence]);
        }
        if (name.endsWith(".ann")) {
          // brat: a text-bound annotation's last field is its text.
          for (const line of text.split("\n").filter((candidate) => /^T\d/.test(candidate))) expect([...privateMentions, ...privateStances], where).not.toContain(line.split("\t")[2]);
        }
      }
    }
  });
});

/* The query is judged only after membership: an outsider with a bad query learns nothing but 404. */
test("GET /api/projects/[id]/export – a bad query: an outsider gets 404", async () => {
  const response = await callRoute(handlerOf("GET /api/projects/[id]/export"), "GET", `/api/projects/${world.projectId}/export?format=docx`, {
    params: { id: world.projectId },
    as: world.users.outsider.cookie,
  });
  expectApiError(response, 404);
});
