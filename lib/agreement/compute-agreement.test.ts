import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { tokenize } from "../text/tokenize";
import { cohenKappa } from "./cohen-kappa";
import { computeAgreement, FEWER_THAN_TWO, NO_ARTICLE_WITH_TWO, NO_SHARED_ARTICLE, type AgreementInput } from "./compute-agreement";
import { krippendorffAlphaNominal, ONE_CATEGORY } from "./krippendorff";
import { NO_MENTIONS, spanF1, type Mention } from "./span-f1";
import { stanceF1 } from "./stance-f1";
import { buildSyntheticAgreementInput } from "./synthetic";
import { tokenLabels } from "./token-labels";

const text = "Putin met Hollande in Paris.";
const at = (quote: string, label: string): Mention => ({ start: text.indexOf(quote), end: text.indexOf(quote) + quote.length, label });
const labels = ["PER", "ORG", "LOC", "MISC"];
const names = { ana: "Ana", ben: "Ben", cy: "Cy" };

/** The same figures, the slow and obvious way: label strings per token, one row per unit, nulls for non-participants. */
function referenceFigures(input: AgreementInput) {
  const ids = Object.keys(input.annotatorNames);
  const units: Array<Array<string | null>> = [];
  const pairTokens = new Map<string, [string[], string[]]>();
  const pairExact = new Map<string, { tp: number; fp: number; fn: number }>();
  for (const article of input.articles) {
    const tokens = tokenize(article.text);
    const layers = ids.map((id) => article.annotators.find((a) => a.userId === id));
    const byAnnotator = layers.map((layer) => (layer ? tokenLabels(tokens, layer.mentions) : null));
    tokens.forEach((_, t) => units.push(byAnnotator.map((l) => (l ? l[t]! : null))));
    for (let a = 0; a < ids.length; a++) {
      for (let b = a + 1; b < ids.length; b++) {
        const la = byAnnotator[a];
        const lb = byAnnotator[b];
        if (!la || !lb) continue;
        const key = `${ids[a]}/${ids[b]}`;
        const seen = pairTokens.get(key) ?? [[], []];
        seen[0].push(...la);
        seen[1].push(...lb);
        pairTokens.set(key, seen);
        const f1 = spanF1(layers[a]!.mentions, layers[b]!.mentions, "exact");
        const sum = pairExact.get(key) ?? { tp: 0, fp: 0, fn: 0 };
        pairExact.set(key, { tp: sum.tp + f1.tp, fp: sum.fp + f1.fp, fn: sum.fn + f1.fn });
      }
    }
  }
  const perType = Object.fromEntries(
    input.labels.map((label) => [label, krippendorffAlphaNominal(units.map((unit) => unit.map((v) => (v === null ? null : v === label ? "yes" : "no")))).alpha]),
  );
  return { alpha: krippendorffAlphaNominal(units), pairTokens, pairExact, perType };
}

function expectClose(actual: number | null, expected: number | null) {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 9);
}

describe("computeAgreement", () => {
  test("a small hand-computed case", () => {
    // Tokens: Putin met Hollande in Paris .  Ana: PER O PER O LOC O; Ben: PER O ORG O O O.
    const result = computeAgreement({
      labels,
      annotatorNames: { ana: "Ana", ben: "Ben" },
      articles: [
        {
          id: "a1",
          title: "Talks",
          text,
          annotators: [
            { userId: "ana", mentions: [at("Putin", "PER"), at("Hollande", "PER"), at("Paris", "LOC")], stances: [{ holderEntityId: "h", targetEntityId: "p", polarity: "AGAINST" }] },
            { userId: "ben", mentions: [at("Putin", "PER"), at("Hollande", "ORG")], stances: [{ holderEntityId: "h", targetEntityId: "p", polarity: "AGAINST" }] },
          ],
        },
      ],
    });
    expect(result.tokens).toBe(6);
    expect(result.annotators).toEqual([
      { id: "ana", name: "Ana", articles: 1, mentions: 3, stances: 1 },
      { id: "ben", name: "Ben", articles: 1, mentions: 2, stances: 1 },
    ]);
    const [pair] = result.pairs;
    // p_o = 4/6; p_e = (2·1 [PER] + 3·4 [O]) / 36 = 14/36; kappa = (24 − 14) / (36 − 14) = 10/22.
    expect(pair!.tokenKappa).toBeCloseTo(10 / 22, 12);
    expect(pair).toMatchObject({ a: "ana", b: "ben", articles: 1, tokens: 6, spanF1: 2 / 5, spanF1Overlap: 2 / 5, stanceF1: 1 });
    expect(pair!.counts.exact).toEqual({ tp: 1, fp: 1, fn: 2 });
    // Units (PER,PER) (O,O) (PER,ORG) (O,O) (LOC,O) (O,O): n = 12, Σ o_cc = 8, n_c: PER 3, O 7, ORG 1, LOC 1.
    expect(result.tokenAlpha).toBeCloseTo(1 - (11 * (12 - 8)) / (144 - 9 - 49 - 1 - 1), 12);
    expect(result.perType.PER!.mentions).toEqual({ ana: 2, ben: 1 });
    expect(result.perType.PER!.counts).toEqual({ tp: 1, fp: 0, fn: 1 });
    expect(result.perType.MISC).toMatchObject({ tokenAlpha: null, spanF1: null, mentions: { ana: 0, ben: 0 } });
    expect(result.perArticle).toEqual([
      expect.objectContaining({ id: "a1", title: "Talks", annotators: 2, tokens: 6, spanF1: 2 / 5, stanceF1: 1, disagreements: 3 }),
    ]);
    expect(result.stance).toEqual({ f1: 1, tuples: 2, counts: { tp: 1, fp: 0, fn: 0 } });
  });

  test("all agree: alpha, kappa and F1 are 1, no disagreements", () => {
    const layer = { mentions: [at("Putin", "PER"), at("Paris", "LOC")], stances: [] };
    const result = computeAgreement({
      labels,
      annotatorNames: names,
      articles: [{ id: "a1", title: "t", text, annotators: ["ana", "ben", "cy"].map((userId) => ({ userId, ...layer })) }],
    });
    expect(result.tokenAlpha).toBe(1);
    for (const pair of result.pairs) expect(pair).toMatchObject({ tokenKappa: 1, spanF1: 1, spanF1Overlap: 1, stanceF1: null });
    expect(result.perType.PER!.tokenAlpha).toBe(1);
    expect(result.perArticle[0]!.disagreements).toBe(0);
  });

  test("one category only: every token PER for everyone, alpha and kappa are null with the reason", () => {
    const allPer = { mentions: [{ start: 0, end: text.length, label: "PER" }], stances: [] };
    const result = computeAgreement({ labels, annotatorNames: names, articles: [{ id: "a1", title: "t", text, annotators: ["ana", "ben"].map((userId) => ({ userId, ...allPer })) }] });
    expect(result).toMatchObject({ tokenAlpha: null, tokenAlphaReason: ONE_CATEGORY });
    expect(result.pairs[0]).toMatchObject({ tokenKappa: null, spanF1: 1 });
    expect(result.pairs[0]!.tokenKappaReason).toMatch(/single label/);
  });

  test("no annotations at all: null figures with reasons", () => {
    const empty = { mentions: [], stances: [] };
    const result = computeAgreement({ labels, annotatorNames: names, articles: [{ id: "a1", title: "t", text, annotators: ["ana", "ben"].map((userId) => ({ userId, ...empty })) }] });
    expect(result).toMatchObject({ tokenAlpha: null, tokenAlphaReason: ONE_CATEGORY, stance: { f1: null } });
    expect(result.pairs[0]).toMatchObject({ tokenKappa: null, spanF1: null, spanF1Reason: NO_MENTIONS, spanF1Overlap: null, stanceF1: null });
    expect(result.perType.PER!.tokenAlphaReason).toBeDefined();

    const nothing = computeAgreement({ labels, annotatorNames: {}, articles: [] });
    expect(nothing).toMatchObject({ annotators: [], pairs: [], perArticle: [], tokens: 0, tokenAlpha: null, tokenAlphaReason: NO_ARTICLE_WITH_TWO });
  });

  test("an article with one participant contributes no units", () => {
    const two = {
      id: "a1",
      title: "t",
      text,
      annotators: [
        { userId: "ana", mentions: [at("Putin", "PER")], stances: [] },
        { userId: "ben", mentions: [at("Putin", "PER"), at("Paris", "LOC")], stances: [] },
      ],
    };
    const solo = { id: "a2", title: "solo", text: "Hollande in Paris.", annotators: [{ userId: "cy", mentions: [{ start: 0, end: 8, label: "PER" }], stances: [] }] };
    const without = computeAgreement({ labels, annotatorNames: names, articles: [two] });
    const withSolo = computeAgreement({ labels, annotatorNames: names, articles: [two, solo] });
    expect(withSolo.tokenAlpha).toBe(without.tokenAlpha);
    expect(withSolo.tokens).toBe(6);
    expect(withSolo.tokensTotal).toBe(10);
    expect(withSolo.perArticle[1]).toMatchObject({ annotators: 1, tokenAlpha: null, tokenAlphaReason: FEWER_THAN_TWO, spanF1: null, disagreements: 0 });
    expect(withSolo.annotators.find((a) => a.id === "cy")).toMatchObject({ articles: 1, mentions: 1 });
  });

  test("an annotator with no articles is listed, and their pairs say why they are empty", () => {
    const result = computeAgreement({
      labels,
      annotatorNames: names,
      articles: [{ id: "a1", title: "t", text, annotators: ["ana", "ben"].map((userId) => ({ userId, mentions: [at("Putin", "PER")], stances: [] })) }],
    });
    expect(result.annotators.map((a) => [a.id, a.articles])).toEqual([["ana", 1], ["ben", 1], ["cy", 0]]);
    expect(result.pairs.map((p) => [p.a, p.b])).toEqual([["ana", "ben"], ["ana", "cy"], ["ben", "cy"]]);
    expect(result.pairs[1]).toMatchObject({ articles: 0, tokenKappa: null, tokenKappaReason: NO_SHARED_ARTICLE, spanF1: null, spanF1Reason: NO_SHARED_ARTICLE });
    expect(result.perType.PER!.mentions).toEqual({ ana: 1, ben: 1, cy: 0 });
  });

  test("labels missing from the list are appended; the result is plain JSON", () => {
    const result = computeAgreement({
      labels: ["PER"],
      annotatorNames: names,
      articles: [{ id: "a1", title: "t", text, annotators: ["ana", "ben"].map((userId) => ({ userId, mentions: [at("Paris", "LOC"), at("Putin", "PER")], stances: [] })) }],
    });
    expect(result.labels).toEqual(["PER", "LOC"]);
    expect(Object.keys(result.perType)).toEqual(["PER", "LOC"]);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  test("agrees with the slow way: tokenize + tokenLabels + alpha over units with missing values + kappa + F1", () => {
    const words = ["Putin", "met", "Hollande", "in", "Paris", ".", "“", "U.S.", "’s", "\n", "東京", "👍🏽"];
    const article = fc
      .tuple(
        fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 25 }),
        fc.subarray(["ana", "ben", "cy"]),
        fc.array(fc.tuple(fc.nat(), fc.nat(12), fc.constantFrom("PER", "ORG", "LOC")), { maxLength: 18 }),
      )
      .map(([parts, participants, raw]) => {
        const articleText = parts.join(" ");
        const annotators = participants.map((userId, i) => ({
          userId,
          mentions: raw.filter((_, j) => j % participants.length === i || j % 4 === 0).map(([start, length, label]) => ({ start: start % articleText.length, end: Math.min(articleText.length, (start % articleText.length) + 1 + length), label })),
          stances: [],
        }));
        return { title: "t", text: articleText, annotators };
      });
    fc.assert(
      fc.property(fc.array(article, { maxLength: 5 }), (articles) => {
        const input: AgreementInput = { labels: ["PER", "ORG", "LOC"], annotatorNames: names, articles: articles.map((a, i) => ({ ...a, id: `a${i}` })) };
        const fast = computeAgreement(input);
        const slow = referenceFigures(input);
        expectClose(fast.tokenAlpha, slow.alpha.alpha);
        expect(fast.pairableValues).toBe(slow.alpha.pairableValues);
        for (const label of input.labels) expectClose(fast.perType[label]!.tokenAlpha, slow.perType[label]!);
        for (const pair of fast.pairs) {
          const key = `${pair.a}/${pair.b}`;
          const tokens = slow.pairTokens.get(key);
          expectClose(pair.tokenKappa, tokens ? cohenKappa(tokens[0], tokens[1]).kappa : null);
          const exact = slow.pairExact.get(key) ?? { tp: 0, fp: 0, fn: 0 };
          expect(pair.counts.exact).toEqual(exact);
        }
      }),
      { numRuns: 200 },
    );
  });

  test("a non-participant's tokens are missing values, not O", () => {
    const layer = (userId: string, mentions: Mention[]) => ({ userId, mentions, stances: [] });
    const input: AgreementInput = {
      labels,
      annotatorNames: names,
      articles: [
        { id: "a1", title: "t", text, annotators: [layer("ana", [at("Putin", "PER")]), layer("ben", [at("Putin", "PER")]), layer("cy", [at("Paris", "LOC")])] },
        { id: "a2", title: "t", text, annotators: [layer("ana", [at("Paris", "LOC")]), layer("ben", [at("Paris", "LOC")])] },
      ],
    };
    const result = computeAgreement(input);
    expect(result.pairableValues).toBe(6 * 3 + 6 * 2);
    expectClose(result.tokenAlpha, referenceFigures(input).alpha.alpha);
    expect(result.pairs.find((p) => p.a === "ana" && p.b === "cy")).toMatchObject({ articles: 1, tokens: 6 });
  });

  test("stance F1 is pooled over pairs and articles", () => {
    const tuple = (polarity: string) => ({ holderEntityId: "h", targetEntityId: "t", polarity });
    const result = computeAgreement({
      labels,
      annotatorNames: names,
      articles: [
        { id: "a1", title: "t", text, annotators: [{ userId: "ana", mentions: [], stances: [tuple("FAVOR")] }, { userId: "ben", mentions: [], stances: [tuple("FAVOR")] }] },
        { id: "a2", title: "t", text, annotators: [{ userId: "ana", mentions: [], stances: [tuple("FAVOR")] }, { userId: "ben", mentions: [], stances: [tuple("AGAINST")] }] },
      ],
    });
    expect(result.stance).toEqual({ f1: 0.5, tuples: 4, counts: { tp: 1, fp: 1, fn: 1 } });
    expect(result.pairs[0]!.stanceF1).toBe(stanceF1([tuple("FAVOR"), tuple("FAVOR")], [tuple("FAVOR"), tuple("AGAINST")]).f1);
    expect(result.perArticle.map((a) => a.disagreements)).toEqual([0, 2]);
  });

  test("synthetic input of benchmark size: 1,000 articles × 3 annotators × 30 mentions completes consistently", { timeout: 120_000 }, () => {
    const input = buildSyntheticAgreementInput(1000, 3, 30, 7);
    expect(input.articles).toHaveLength(1000);
    expect(input.articles[0]!.text.length).toBeGreaterThanOrEqual(5000);
    expect(input.articles[0]!.annotators[0]!.mentions).toHaveLength(30);
    const result = computeAgreement(input);
    expect(result.annotators.map((a) => a.articles)).toEqual([1000, 1000, 1000]);
    expect(result.pairs).toHaveLength(3);
    expect(result.tokens).toBe(result.tokensTotal);
    expect(result.pairableValues).toBe(3 * result.tokens);
    expect(result.perArticle).toHaveLength(1000);
    for (const pair of result.pairs) {
      expect(pair.tokens).toBe(result.tokens);
      expect(pair.counts.exact.tp + pair.counts.exact.fn).toBe(30_000);
      expect(pair.counts.overlap.tp).toBeGreaterThanOrEqual(pair.counts.exact.tp);
      // Annotators follow the base about 90% of the time each, so pairs agree on roughly 80% of mentions.
      expect(pair.spanF1!).toBeGreaterThan(0.7);
      expect(pair.spanF1!).toBeLessThan(0.9);
    }
    expect(result.tokenAlpha!).toBeGreaterThan(0.7);
    expect(result.tokenAlpha!).toBeLessThan(1);
    expect(Object.values(result.perType).reduce((sum, type) => sum + Object.values(type.mentions).reduce((a, b) => a + b, 0), 0)).toBe(90_000);
  });

  test("the synthetic input is deterministic", () => {
    expect(buildSyntheticAgreementInput(3, 2, 5, 1)).toEqual(buildSyntheticAgreementInput(3, 2, 5, 1));
    expect(buildSyntheticAgreementInput(3, 2, 5, 1)).not.toEqual(buildSyntheticAgreementInput(3, 2, 5, 2));
  });
});
