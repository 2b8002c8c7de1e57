import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, test } from "vitest";
import { PUT as statusRoute } from "@/app/api/articles/[id]/status/route";
import { POST as mergeEntityRoute } from "@/app/api/entities/[id]/merge/route";
import { GET as agreementRoute } from "@/app/api/projects/[id]/agreement/route";
import { AgreementArticleTable } from "@/components/agreement/agreement-article-table";
import { AgreementDefinitions } from "@/components/agreement/agreement-definitions";
import { AgreementHeatmap } from "@/components/agreement/agreement-heatmap";
import { readAgreementDefinitions } from "@/lib/server/agreement/definitions";
import { getProjectAgreementReport } from "@/lib/server/agreement/project-agreement";
import { agreementResponseSchema, type AgreementResponse } from "@/lib/validation/agreement";
import { callRoute, expectApiError, type ApiResponse } from "../helpers/api";
import { buildArticle, buildEntity, buildMention, buildProject, buildStance, buildUser, type TestUser } from "../helpers/factories";

/*
 * GET /api/projects/:id/agreement on a real database: figures small enough to compute by hand, who may ask, too few
 * annotators, the type filter, and stance tuples after a merge of two entities. Each test makes its own project.
 *
 * The default article text "Hollande met Putin in Moscow.\nThey talked about Syria." has 11 tokens:
 * Hollande met Putin in Moscow . They talked about Syria .
 */

let owner: TestUser;
let reviewer: TestUser;
let ana: TestUser;
let ben: TestUser;
let cai: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  [owner, reviewer, ana, ben, cai, outsider] = await Promise.all([
    buildUser({ name: "Owner" }),
    buildUser({ name: "Reviewer" }),
    buildUser({ name: "Ana" }),
    buildUser({ name: "Ben" }),
    buildUser({ name: "Cai" }),
    buildUser({ name: "Outsider" }),
  ]);
});

async function newProject() {
  const project = await buildProject(owner, [
    { user: reviewer, role: "reviewer" },
    { user: ana, role: "annotator" },
    { user: ben, role: "annotator" },
    { user: cai, role: "annotator" },
  ]);
  return project.id;
}

function getAgreement(user: TestUser | null, projectId: string, query = ""): Promise<ApiResponse<AgreementResponse>> {
  return callRoute(agreementRoute, "GET", `/api/projects/${projectId}/agreement${query}`, { params: { id: projectId }, as: user?.cookie ?? null });
}

/** 200, the documented shape (finite numbers or null), and a reason beside every null figure. */
async function agreementOf(user: TestUser, projectId: string, query = ""): Promise<AgreementResponse> {
  const response = await getAgreement(user, projectId, query);
  if (response.status !== 200) throw new Error(`Expected 200, got ${response.status}: ${JSON.stringify(response.body)}`);
  const body = agreementResponseSchema.parse(response.body);
  expectReasonsForNulls(body);
  return body;
}

/** Every null figure has its reason: `x` → `xReason`, `f1` → `reason`; `spanF1Overlap` shares `spanF1Reason`. */
function expectReasonsForNulls(value: unknown, path = "body") {
  if (Array.isArray(value)) return value.forEach((item, index) => expectReasonsForNulls(item, `${path}[${index}]`));
  if (typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (child === null && key !== "type") {
      const reasonKey = key === "f1" ? "reason" : key === "spanF1Overlap" ? "spanF1Reason" : `${key}Reason`;
      expect(typeof record[reasonKey], `${path}.${key} is null without ${reasonKey}`).toBe("string");
    } else expectReasonsForNulls(child, `${path}.${key}`);
  }
}

async function tagDefaultArticle(projectId: string, layers: { user: TestUser; tags: [quote: string, type: string][] }[]) {
  const article = await buildArticle(owner, projectId);
  for (const { user, tags } of layers) {
    for (const [quote, type] of tags) await buildMention(user, article, quote, { entityType: type, entityName: quote });
  }
  return article;
}

const pairOf = (body: AgreementResponse, a: TestUser, b: TestUser) => body.pairs.find((pair) => (pair.a === a.id && pair.b === b.id) || (pair.a === b.id && pair.b === a.id))!;

describe("GET /api/projects/:id/agreement", () => {
  test("identical mentions: token alpha, kappa and span F1 are 1; owners and reviewers not annotating are not listed", async () => {
    const projectId = await newProject();
    const tags: [string, string][] = [
      ["Hollande", "PER"],
      ["Putin", "PER"],
      ["Moscow", "LOC"],
    ];
    await tagDefaultArticle(projectId, [
      { user: ana, tags },
      { user: ben, tags },
    ]);
    const body = await agreementOf(reviewer, projectId);
    expect(body.type).toBeNull();
    expect(body.tokenAlpha).toBe(1);
    expect(body.tokens).toBe(11);
    expect(body.articles).toBe(1);
    // cai is an annotator who has not started: listed, with no articles; owner and reviewer are not annotators here.
    expect(body.annotators.map((annotator) => annotator.name).sort()).toEqual(["Ana", "Ben", "Cai"]);
    expect(body.annotators.find((annotator) => annotator.id === cai.id)).toMatchObject({ articles: 0, mentions: 0 });
    const anaBen = pairOf(body, ana, ben);
    expect(anaBen).toMatchObject({ tokenKappa: 1, spanF1: 1, spanF1Overlap: 1, articles: 1, tokens: 11 });
    expect(anaBen.counts.exact).toEqual({ tp: 3, fp: 0, fn: 0 });
    // A pair that shares no article: null figures with a reason, never NaN.
    const anaCai = pairOf(body, ana, cai);
    expect(anaCai).toMatchObject({ tokenKappa: null, spanF1: null, stanceF1: null, articles: 0 });
    expect(anaCai.tokenKappaReason).toMatch(/no article/);
    expect(body.perType.PER).toMatchObject({ tokenAlpha: 1, spanF1: 1 });
    expect(body.perType.LOC).toMatchObject({ tokenAlpha: 1, spanF1: 1 });
    expect(body.perType.ORG).toMatchObject({ tokenAlpha: null, spanF1: null });
    expect(body.perArticle[0]).toMatchObject({ tokens: 11, annotators: 2, tokenAlpha: 1, spanF1: 1, disagreements: 0 });
    // No stances anywhere: stance F1 is undefined, with its reason.
    expect(body.stance).toMatchObject({ f1: null, tuples: 0, reason: expect.any(String) });
    // The owner sees the same.
    expect((await getAgreement(owner, projectId)).status).toBe(200);
  });

  test("one differing type: kappa 5/6, alpha 110/131, exact span F1 3/4 (hand-computed); ?type=PER gives kappa 18/29", async () => {
    const projectId = await newProject();
    const identical = await tagDefaultArticle(projectId, [
      { user: ana, tags: [["Hollande", "PER"]] },
      { user: ben, tags: [["Hollande", "PER"]] },
    ]);
    const differing = await tagDefaultArticle(projectId, [
      {
        user: ana,
        tags: [
          ["Hollande", "PER"],
          ["Putin", "PER"],
          ["Moscow", "LOC"],
          ["Syria", "LOC"],
        ],
      },
      {
        user: ben,
        tags: [
          ["Hollande", "PER"],
          ["Putin", "ORG"],
          ["Moscow", "LOC"],
          ["Syria", "LOC"],
        ],
      },
    ]);
    const body = await agreementOf(reviewer, projectId);
    const article = body.perArticle.find((figures) => figures.id === differing.id)!;
    // Tokens of the differing article, ana: PER O PER O LOC O O O O LOC O; ben: the same but ORG for Putin.
    // Cohen's kappa: p_o = 10/11; p_e = (PER 2·1 + LOC 2·2 + O 7·7) / 121 = 55/121; κ = (110 − 55) / (121 − 55) = 5/6.
    // Alpha: n = 22 values, n_c = PER 3, ORG 1, LOC 4, O 14; 2 off-diagonal coincidences;
    // α = 1 − (n − 1) · 2 / (n² − Σ n_c²) = 1 − 21 · 2 / (484 − 222) = 110/131.
    expect(article.tokenAlpha).toBeCloseTo(110 / 131, 10);
    expect(article.spanF1).toBeCloseTo(0.75, 10); // tp 3, fp 1, fn 1: 6/8
    expect(article.disagreements).toBe(2); // ana's Putin PER and ben's Putin ORG
    expect(body.perArticle.find((figures) => figures.id === identical.id)).toMatchObject({ disagreements: 0, spanF1: 1 });
    // Over both articles (22 tokens): p_o = 21/22; marginals ana PER 3, LOC 2, O 17; ben PER 2, ORG 1, LOC 2, O 17:
    // p_e = (6 + 4 + 289) / 484 = 299/484; κ = (462 − 299) / (484 − 299) = 163/185.
    const anaBen = pairOf(body, ana, ben);
    expect(anaBen.tokenKappa).toBeCloseTo(163 / 185, 10);
    expect(anaBen.spanF1).toBeCloseTo(8 / 10, 10); // tp 4, fp 1, fn 1
    expect(anaBen.counts.exact).toEqual({ tp: 4, fp: 1, fn: 1 });

    // The differing article alone (a project of its own), kappa 5/6.
    const single = await newProject();
    await tagDefaultArticle(single, [
      {
        user: ana,
        tags: [
          ["Hollande", "PER"],
          ["Putin", "PER"],
          ["Moscow", "LOC"],
          ["Syria", "LOC"],
        ],
      },
      {
        user: ben,
        tags: [
          ["Hollande", "PER"],
          ["Putin", "ORG"],
          ["Moscow", "LOC"],
          ["Syria", "LOC"],
        ],
      },
    ]);
    const alone = await agreementOf(reviewer, single);
    expect(pairOf(alone, ana, ben).tokenKappa).toBeCloseTo(5 / 6, 10);
    expect(alone.tokenAlpha).toBeCloseTo(110 / 131, 10);

    // PER only: ana PER O PER O…, ben PER O O O… (ben's ORG mention is left out); p_o = 10/11,
    // p_e = (2·1 + 9·10)/121 = 92/121, κ = (110 − 92)/(121 − 92) = 18/29; span F1: tp 1, fn 1 → 2/3.
    const per = await agreementOf(reviewer, single, "?type=per");
    expect(per.type).toBe("PER");
    expect(per.labels).toEqual(["PER"]);
    expect(pairOf(per, ana, ben).tokenKappa).toBeCloseTo(18 / 29, 10);
    expect(pairOf(per, ana, ben).spanF1).toBeCloseTo(2 / 3, 10);
    expect(Object.keys(per.perType)).toEqual(["PER"]);

    const unknown = expectApiError(await getAgreement(reviewer, single, "?type=PERSON"), 422);
    expect(unknown.code).toBe("validation_failed");
    expect(unknown.message).toContain("PER, ORG, LOC, MISC");
  });

  test("an annotator who finished an article without tagging participates: all O, span F1 0 against a tagger", async () => {
    const projectId = await newProject();
    const article = await tagDefaultArticle(projectId, [{ user: ana, tags: [["Putin", "PER"]] }]);
    const finished = await callRoute(statusRoute, "PUT", `/api/articles/${article.id}/status`, { params: { id: article.id }, as: cai.cookie, json: { status: "FINISHED" } });
    expect(finished.status).toBe(200);
    const body = await agreementOf(reviewer, projectId);
    expect(pairOf(body, ana, cai)).toMatchObject({ articles: 1, spanF1: 0, tokens: 11 });
    // Cai used one label only and ana two: kappa is defined, and 0 (p_o = 10/11 = p_e).
    expect(pairOf(body, ana, cai).tokenKappa).toBeCloseTo(0, 10);
    expect(body.annotators.find((annotator) => annotator.id === cai.id)).toMatchObject({ articles: 1, mentions: 0 });
  });

  test("stance tuples agree once the two entities they name are merged into one", async () => {
    const projectId = await newProject();
    const article = await buildArticle(owner, projectId);
    const hollande = await buildEntity(owner, projectId, { name: "François Hollande", type: "PER" });
    const hollandeTwin = await buildEntity(owner, projectId, { name: "President Hollande", type: "PER" });
    const putin = await buildEntity(owner, projectId, { name: "Vladimir Putin", type: "PER" });
    await buildMention(ana, article, "Hollande", { entityId: hollande.id });
    await buildMention(ben, article, "Hollande", { entityId: hollandeTwin.id });
    await buildStance(ana, article, "They talked about Syria", { holderEntityId: hollande.id, targetEntityId: putin.id, polarity: "AGAINST" });
    await buildStance(ben, article, "They talked about Syria", { holderEntityId: hollandeTwin.id, targetEntityId: putin.id, polarity: "AGAINST" });

    const before = await agreementOf(reviewer, projectId);
    expect(pairOf(before, ana, ben)).toMatchObject({ stanceF1: 0, spanF1: 1 });
    expect(before.stance).toMatchObject({ f1: 0, tuples: 2 });
    expect(before.perArticle[0]!.disagreements).toBe(2);

    const merged = await callRoute(mergeEntityRoute, "POST", `/api/entities/${hollandeTwin.id}/merge`, {
      params: { id: hollandeTwin.id },
      as: owner.cookie,
      json: { intoEntityId: hollande.id },
    });
    expect(merged.status).toBe(200);

    const after = await agreementOf(reviewer, projectId);
    expect(pairOf(after, ana, ben)).toMatchObject({ stanceF1: 1, spanF1: 1 });
    expect(after.stance).toMatchObject({ f1: 1, tuples: 2, counts: { tp: 1, fp: 0, fn: 0 } });
    expect(after.perArticle[0]!.disagreements).toBe(0);
  });

  test("fewer than two annotators on a common article: 422 not_enough_data with an actionable message", async () => {
    const projectId = await newProject();
    const expectedOne = "Agreement needs at least two annotators who annotated the same article; this project has 1 annotator(s) with annotations.";
    const empty = expectApiError(await getAgreement(reviewer, projectId), 422);
    expect(empty.code).toBe("not_enough_data");
    expect(empty.message).toContain("this project has 0 annotator(s) with annotations.");

    await tagDefaultArticle(projectId, [{ user: ana, tags: [["Putin", "PER"]] }]);
    const one = await getAgreement(reviewer, projectId);
    const error = expectApiError(one, 422);
    expect(error.code).toBe("not_enough_data");
    expect(error.message).toContain(expectedOne);
    expect(JSON.stringify(one.body)).not.toMatch(/NaN|Infinity/);

    // Two annotators, but on different articles: still nothing to compare.
    await tagDefaultArticle(projectId, [{ user: ben, tags: [["Putin", "PER"]] }]);
    const apart = expectApiError(await getAgreement(owner, projectId), 422);
    expect(apart.message).toContain("this project has 2 annotator(s) with annotations.");
  });

  test("authorization: annotators 403, outsiders and unknown projects 404, anonymous 401", async () => {
    const projectId = await newProject();
    await tagDefaultArticle(projectId, [
      { user: ana, tags: [["Putin", "PER"]] },
      { user: ben, tags: [["Putin", "PER"]] },
    ]);
    expect(expectApiError(await getAgreement(ana, projectId), 403).code).toBe("forbidden");
    expect(expectApiError(await getAgreement(outsider, projectId), 404).code).toBe("not_found");
    expect(expectApiError(await getAgreement(reviewer, "no-such-project"), 404).code).toBe("not_found");
    expect(expectApiError(await getAgreement(null, projectId), 401).code).toBe("unauthenticated");
    // Reviewers and owners only; the annotators who are compared cannot see it.
    expect((await getAgreement(reviewer, projectId)).status).toBe(200);
  });
});

describe("agreement page parts", () => {
  test("the report lists each pair's shared articles by disagreements; the heatmap is a table with headers and values as text", async () => {
    const projectId = await newProject();
    const calm = await tagDefaultArticle(projectId, [
      { user: ana, tags: [["Putin", "PER"]] },
      { user: ben, tags: [["Putin", "PER"]] },
    ]);
    const disputed = await tagDefaultArticle(projectId, [
      { user: ana, tags: [["Putin", "PER"], ["Moscow", "LOC"]] },
      { user: ben, tags: [["Putin", "ORG"]] },
    ]);
    const report = await getProjectAgreementReport({ userId: reviewer.id, projectId });
    const pair = report.pairArticles.find((entry) => [entry.a, entry.b].sort().join() === [ana.id, ben.id].sort().join())!;
    expect(pair).toMatchObject({ shared: 2, withDisagreements: 1, disagreements: 3, top: [{ id: disputed.id, disagreements: 3 }] });
    expect(pair.top.some((article) => article.id === calm.id)).toBe(false);

    const { agreement } = report;
    const heatmap = renderToStaticMarkup(
      createElement(AgreementHeatmap, {
        annotators: agreement.annotators.map(({ id, name }) => ({ id, name })),
        pairs: agreement.pairs.map((entry, index) => ({ ...entry, disagreements: report.pairArticles[index]!.disagreements, anchor: `pair-${index}` })),
      }),
    );
    expect(heatmap).toContain("<caption");
    expect(heatmap).toContain('<th scope="col">Ana</th>');
    expect(heatmap).toContain('<th scope="row">Ben</th>');
    expect(heatmap).toContain(`>${pairOf(agreement, ana, ben).tokenKappa!.toFixed(2)}<`);
    expect(heatmap).toMatch(/href="#pair-\d+"/);
    expect(heatmap).toMatch(/<label[^>]*>Figure shown in the grid<select/);
    expect(heatmap).not.toContain("NaN");

    const table = renderToStaticMarkup(createElement(AgreementArticleTable, { articles: agreement.perArticle }));
    expect(table.indexOf(`/articles/${disputed.id}/review`)).toBeLessThan(table.indexOf(`/articles/${calm.id}/review`));

    const markdown = await readAgreementDefinitions();
    expect(markdown).toContain("How agreement is computed");
    const definitions = renderToStaticMarkup(createElement(AgreementDefinitions, { markdown: markdown! }));
    expect(definitions).toContain("<h3>How agreement is computed</h3>");
    expect(definitions).toContain("<strong>Tokens.</strong>");
    expect(definitions).toMatch(/<ul><li>alpha: /);
  });
});
