/*
 * Inter-annotator agreement of a project: the body of GET /api/projects/:id/agreement. Definitions in
 * DEFINITIONS.md next to this file. Everything here is pure and JSON-serializable; the caller decides who
 * participates in which article (finished it, or made at least one annotation) and passes only those.
 *
 * Cost: one tokenization per article, then integer label ids in typed arrays: O(tokens × participants²) plus
 * sorting the mentions, no object per token.
 */
import { tokenizeToArrays } from "../text/tokenize";
import { kappaFromCounts } from "./cohen-kappa";
import { nominalAlphaFromCoincidences, NO_PAIRABLE_VALUES } from "./krippendorff";
import { f1FromCounts, matchExact, matchOverlap, type F1Counts, type Mention } from "./span-f1";
import { matchStances, NO_STANCES, type StanceTuple } from "./stance-f1";
import { coveringMentions } from "./token-labels";

export type AgreementAnnotations = { userId: string; mentions: readonly Mention[]; stances: readonly StanceTuple[] };
export type AgreementArticle = { id: string; title: string; text: string; annotators: readonly AgreementAnnotations[] };
export type AgreementInput = {
  /** entity type names, in display order; labels found in mentions but missing here are appended, by name */
  labels: readonly string[];
  /** each article lists only the annotators who participate in it */
  articles: readonly AgreementArticle[];
  /** userId → display name; annotators without articles are listed too */
  annotatorNames: Readonly<Record<string, string>>;
};

export type AgreementPair = {
  a: string;
  b: string;
  /** articles both participate in */
  articles: number;
  /** tokens of those articles (the items of tokenKappa) */
  tokens: number;
  tokenKappa: number | null;
  tokenKappaReason?: string;
  /** exact-match span F1, a taken as reference (F1 itself is symmetric) */
  spanF1: number | null;
  spanF1Reason?: string;
  spanF1Overlap: number | null;
  stanceF1: number | null;
  stanceF1Reason?: string;
  counts: { exact: F1Counts; overlap: F1Counts; stance: F1Counts };
};

export type AgreementTypeFigures = {
  /** binary alpha over the same token units: this type against anything else (another type or O) */
  tokenAlpha: number | null;
  tokenAlphaReason?: string;
  /** exact-match span F1 of mentions of this type, pooled over all pairs and articles */
  spanF1: number | null;
  spanF1Reason?: string;
  counts: F1Counts;
  /** mentions of this type per annotator (userId → count), in the articles they participate in */
  mentions: Record<string, number>;
};

export type AgreementArticleFigures = {
  id: string;
  title: string;
  /** participating annotators */
  annotators: number;
  tokens: number;
  tokenAlpha: number | null;
  tokenAlphaReason?: string;
  /** exact-match span F1 pooled over the article's pairs */
  spanF1: number | null;
  spanF1Reason?: string;
  spanF1Overlap: number | null;
  stanceF1: number | null;
  stanceF1Reason?: string;
  /** mentions without an exact match in at least one other participant's layer, plus stance tuples likewise */
  disagreements: number;
};

export type AgreementResult = {
  annotators: Array<{ id: string; name: string; articles: number; mentions: number; stances: number }>;
  /** all labels, in display order, unknown ones appended; "O" is implicit */
  labels: string[];
  articles: number;
  tokenAlpha: number | null;
  tokenAlphaReason?: string;
  /** tokens that are units of tokenAlpha: the tokens of articles with two or more participants */
  tokens: number;
  /** tokens of all articles */
  tokensTotal: number;
  /** labels that entered tokenAlpha: tokens × participants, summed over those articles */
  pairableValues: number;
  /** every pair of annotators, in annotator order; a pair sharing no article has null figures with a reason */
  pairs: AgreementPair[];
  perType: Record<string, AgreementTypeFigures>;
  perArticle: AgreementArticleFigures[];
  stance: { f1: number | null; reason?: string; tuples: number; counts: F1Counts };
};

export const NO_ARTICLE_WITH_TWO = "no article has two or more participating annotators";
export const FEWER_THAN_TWO = "fewer than two annotators participate in this article";
export const NO_SHARED_ARTICLE = "no article annotated by both";
export const TYPE_NOT_USED = "no annotator used this type on a compared token";
export const NO_MENTIONS_OF_TYPE = "no mentions of this type from either annotator of any pair";

type PairStats = {
  articles: number;
  tokens: number;
  agreements: number;
  countsA: Float64Array;
  countsB: Float64Array;
  exact: F1Counts;
  overlap: F1Counts;
  stance: F1Counts;
};

function counts(): F1Counts {
  return { tp: 0, fp: 0, fn: 0 };
}

function add(into: F1Counts, tp: number, fp: number, fn: number) {
  into.tp += tp;
  into.fp += fp;
  into.fn += fn;
}

/** Copies `{value, reason}` into a figures object under `key` and `${key}Reason`, leaving out an absent reason. */
function withReason<K extends string>(key: K, value: number | null, reason: string | undefined): Record<K, number | null> & Partial<Record<`${K}Reason`, string>> {
  const out: Record<string, number | null | string> = { [key]: value };
  if (value === null && reason !== undefined) out[`${key}Reason`] = reason;
  return out as Record<K, number | null> & Partial<Record<`${K}Reason`, string>>;
}

/**
 * Adds the article's tokens as alpha units (one value per participant) to the marginals n_c and the per-type
 * corrections; returns the article's Σ_c o_cc.
 */
function accumulateTokenUnits(labels: readonly Int32Array[], count: number, unitCounts: Int32Array, marginals: Float64Array, typeCorrection: Float64Array): number {
  const m = labels.length;
  const first = labels[0]!;
  let agreement = 0;
  let unanimous = 0;
  tokens: for (let t = 0; t < count; t++) {
    // Most tokens get the same label from everyone (O, mostly): m values of one category, no per-type correction.
    const v0 = first[t]!;
    unanimity: {
      for (let p = 1; p < m; p++) if (labels[p]![t] !== v0) break unanimity;
      marginals[v0]! += m;
      unanimous++;
      continue tokens;
    }
    for (let p = 0; p < m; p++) unitCounts[labels[p]![t]!]!++;
    let agreeingPairs = 0;
    for (let p = 0; p < m; p++) {
      const v = labels[p]![t]!;
      const k = unitCounts[v]!;
      if (k === 0) continue;
      unitCounts[v] = 0;
      agreeingPairs += k * (k - 1);
      marginals[v]! += k;
      if (v !== 0) typeCorrection[v]! += (k * (k - 1) + (m - k) * (m - k - 1)) / (m - 1) - m;
    }
    agreement += agreeingPairs / (m - 1);
  }
  return agreement + unanimous * m;
}

function byPosition(a: Mention, b: Mention): number {
  return a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}

/** Adds two annotators' token labels to their label counts; returns the number of tokens they label alike. */
function accumulateTokenPair(la: Int32Array, lb: Int32Array, count: number, countsA: Float64Array, countsB: Float64Array): number {
  let agreements = 0;
  for (let t = 0; t < count; t++) {
    const x = la[t]!;
    const y = lb[t]!;
    if (x === y) agreements++;
    countsA[x]!++;
    countsB[y]!++;
  }
  return agreements;
}

/** Token label ids (0 = O) of one layer: the label of the mention that wins each token. */
function labelTokens(starts: Int32Array, ends: Int32Array, count: number, mentions: readonly Mention[], mentionLabels: Int32Array): Int32Array {
  const winner = coveringMentions(starts, ends, count, mentions);
  const ids = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    const w = winner[t]!;
    if (w >= 0) ids[t] = mentionLabels[w]!;
  }
  return ids;
}

export function computeAgreement(input: AgreementInput): AgreementResult {
  // Annotators: the named ones in their order, then any others in order of appearance.
  const annotatorIds: string[] = [];
  const annotatorIndex = new Map<string, number>();
  const addAnnotator = (id: string) => {
    if (!annotatorIndex.has(id)) {
      annotatorIndex.set(id, annotatorIds.length);
      annotatorIds.push(id);
    }
  };
  for (const id of Object.keys(input.annotatorNames)) addAnnotator(id);
  for (const article of input.articles) for (const a of article.annotators) addAnnotator(a.userId);
  const A = annotatorIds.length;

  // Labels: 0 is O, then the given labels, then unknown ones by name.
  const labelNames: string[] = [];
  const labelId = new Map<string, number>();
  const addLabel = (name: string) => {
    if (!labelId.has(name)) {
      labelNames.push(name);
      labelId.set(name, labelNames.length);
    }
  };
  for (const name of input.labels) addLabel(name);
  const unknown = new Set<string>();
  for (const article of input.articles) for (const a of article.annotators) for (const m of a.mentions) if (!labelId.has(m.label)) unknown.add(m.label);
  for (const name of [...unknown].sort()) addLabel(name);
  const L = labelNames.length + 1;

  const annotatorArticles = new Float64Array(A);
  const annotatorMentions = new Float64Array(A);
  const annotatorStances = new Float64Array(A);
  const mentionsByType = Array.from({ length: A }, () => new Float64Array(L));

  let alphaValues = 0;
  let alphaAgreement = 0;
  const alphaMarginals = new Float64Array(L);
  // Per type t: Σ over units where t occurs of (binary o_tt + o_¬t¬t − m_u), so that the binary diagonal is
  // alphaValues + typeCorrection[t] (a unit without t contributes m_u to o_¬t¬t).
  const typeCorrection = new Float64Array(L);
  const typeCounts = { tp: new Float64Array(L), fp: new Float64Array(L), fn: new Float64Array(L) };
  let tokensTotal = 0;
  let tokensCompared = 0;
  const stanceTotals = counts();
  let tuples = 0;

  const pairStats = new Map<number, PairStats>();
  const pairOf = (a: number, b: number): PairStats => {
    let stats = pairStats.get(a * A + b);
    if (!stats) {
      stats = { articles: 0, tokens: 0, agreements: 0, countsA: new Float64Array(L), countsB: new Float64Array(L), exact: counts(), overlap: counts(), stance: counts() };
      pairStats.set(a * A + b, stats);
    }
    return stats;
  };

  const unitCounts = new Int32Array(L);
  const articleMarginals = new Float64Array(L);
  const perArticle: AgreementArticleFigures[] = [];

  for (const article of input.articles) {
    // Participants, in annotator order; one userId listed twice is one participant.
    const byUser = new Map<number, { mentions: Mention[]; stances: StanceTuple[] }>();
    for (const a of article.annotators) {
      const index = annotatorIndex.get(a.userId)!;
      const entry = byUser.get(index);
      if (entry) {
        entry.mentions.push(...a.mentions);
        entry.stances.push(...a.stances);
      } else byUser.set(index, { mentions: [...a.mentions], stances: [...a.stances] });
    }
    const participants = [...byUser.keys()].sort((x, y) => x - y);
    const layers = participants.map((p) => byUser.get(p)!);
    // Sorted once here, so that matching them in every pair finds them in order.
    for (const layer of layers) layer.mentions.sort(byPosition);
    const m = participants.length;

    const { count, starts, ends } = tokenizeToArrays(article.text);
    tokensTotal += count;

    const mentionLabels = layers.map((layer) => {
      const ids = new Int32Array(layer.mentions.length);
      for (let i = 0; i < ids.length; i++) ids[i] = labelId.get(layer.mentions[i]!.label)!;
      return ids;
    });
    const tokenLabels = layers.map((layer, p) => labelTokens(starts, ends, count, layer.mentions, mentionLabels[p]!));
    participants.forEach((a, p) => {
      annotatorArticles[a]!++;
      annotatorMentions[a]! += layers[p]!.mentions.length;
      annotatorStances[a]! += layers[p]!.stances.length;
      tuples += layers[p]!.stances.length;
      const byType = mentionsByType[a]!;
      for (const id of mentionLabels[p]!) byType[id]!++;
    });

    if (m < 2) {
      perArticle.push({
        id: article.id,
        title: article.title,
        annotators: m,
        tokens: count,
        tokenAlpha: null,
        tokenAlphaReason: FEWER_THAN_TWO,
        spanF1: null,
        spanF1Reason: FEWER_THAN_TWO,
        spanF1Overlap: null,
        stanceF1: null,
        stanceF1Reason: FEWER_THAN_TWO,
        disagreements: 0,
      });
      continue;
    }

    // Token units: alpha over all labels, and the binary per-type corrections.
    tokensCompared += count;
    articleMarginals.fill(0);
    const articleAgreement = accumulateTokenUnits(tokenLabels, count, unitCounts, articleMarginals, typeCorrection);
    const articleValues = count * m;
    alphaValues += articleValues;
    alphaAgreement += articleAgreement;
    for (let c = 0; c < L; c++) alphaMarginals[c]! += articleMarginals[c]!;
    const articleAlpha = nominalAlphaFromCoincidences(articleValues, articleAgreement, articleMarginals);

    // Pairs: a is the participant earlier in annotator order, and the reference.
    const exactFlags = layers.map((layer) => new Uint8Array(layer.mentions.length));
    const stanceFlags = layers.map((layer) => new Uint8Array(layer.stances.length));
    const articleExact = counts();
    const articleOverlap = counts();
    const articleStance = counts();
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const pair = pairOf(participants[p]!, participants[q]!);
        pair.articles++;
        pair.tokens += count;
        const la = tokenLabels[p]!;
        const lb = tokenLabels[q]!;
        pair.agreements += accumulateTokenPair(la, lb, count, pair.countsA, pair.countsB);

        const ref = layers[p]!;
        const cand = layers[q]!;
        const exact = matchExact(ref.mentions, cand.mentions);
        const refLabels = mentionLabels[p]!;
        const candLabels = mentionLabels[q]!;
        for (let i = 0; i < ref.mentions.length; i++) {
          if (exact.referenceMatched[i]) typeCounts.tp[refLabels[i]!]!++;
          else {
            typeCounts.fn[refLabels[i]!]!++;
            exactFlags[p]![i] = 1;
          }
        }
        for (let j = 0; j < cand.mentions.length; j++) {
          if (!exact.candidateMatched[j]) {
            typeCounts.fp[candLabels[j]!]!++;
            exactFlags[q]![j] = 1;
          }
        }
        const exactFp = cand.mentions.length - exact.tp;
        const exactFn = ref.mentions.length - exact.tp;
        add(pair.exact, exact.tp, exactFp, exactFn);
        add(articleExact, exact.tp, exactFp, exactFn);

        const overlap = matchOverlap(ref.mentions, cand.mentions, exact);
        add(pair.overlap, overlap.tp, cand.mentions.length - overlap.tp, ref.mentions.length - overlap.tp);
        add(articleOverlap, overlap.tp, cand.mentions.length - overlap.tp, ref.mentions.length - overlap.tp);

        const stance = matchStances(ref.stances, cand.stances);
        for (let i = 0; i < ref.stances.length; i++) if (!stance.referenceMatched[i]) stanceFlags[p]![i] = 1;
        for (let j = 0; j < cand.stances.length; j++) if (!stance.candidateMatched[j]) stanceFlags[q]![j] = 1;
        const stanceFp = cand.stances.length - stance.tp;
        const stanceFn = ref.stances.length - stance.tp;
        add(pair.stance, stance.tp, stanceFp, stanceFn);
        add(articleStance, stance.tp, stanceFp, stanceFn);
        add(stanceTotals, stance.tp, stanceFp, stanceFn);
      }
    }
    let disagreements = 0;
    for (const flags of exactFlags) for (const flag of flags) disagreements += flag;
    for (const flags of stanceFlags) for (const flag of flags) disagreements += flag;
    const articleSpan = f1FromCounts(articleExact.tp, articleExact.fp, articleExact.fn);
    const articleStanceF1 = f1FromCounts(articleStance.tp, articleStance.fp, articleStance.fn, NO_STANCES);
    perArticle.push({
      id: article.id,
      title: article.title,
      annotators: m,
      tokens: count,
      ...withReason("tokenAlpha", articleAlpha.alpha, articleAlpha.reason),
      ...withReason("spanF1", articleSpan.f1, articleSpan.reason),
      spanF1Overlap: f1FromCounts(articleOverlap.tp, articleOverlap.fp, articleOverlap.fn).f1,
      ...withReason("stanceF1", articleStanceF1.f1, articleStanceF1.reason),
      disagreements,
    });
  }

  const pairs: AgreementPair[] = [];
  for (let a = 0; a < A; a++) {
    for (let b = a + 1; b < A; b++) {
      const stats = pairStats.get(a * A + b);
      if (!stats) {
        pairs.push({
          a: annotatorIds[a]!,
          b: annotatorIds[b]!,
          articles: 0,
          tokens: 0,
          tokenKappa: null,
          tokenKappaReason: NO_SHARED_ARTICLE,
          spanF1: null,
          spanF1Reason: NO_SHARED_ARTICLE,
          spanF1Overlap: null,
          stanceF1: null,
          stanceF1Reason: NO_SHARED_ARTICLE,
          counts: { exact: counts(), overlap: counts(), stance: counts() },
        });
        continue;
      }
      const kappa = kappaFromCounts(stats.tokens, stats.agreements, stats.countsA, stats.countsB);
      const exact = f1FromCounts(stats.exact.tp, stats.exact.fp, stats.exact.fn);
      const stance = f1FromCounts(stats.stance.tp, stats.stance.fp, stats.stance.fn, NO_STANCES);
      pairs.push({
        a: annotatorIds[a]!,
        b: annotatorIds[b]!,
        articles: stats.articles,
        tokens: stats.tokens,
        ...withReason("tokenKappa", kappa.kappa, kappa.reason),
        ...withReason("spanF1", exact.f1, exact.reason),
        spanF1Overlap: f1FromCounts(stats.overlap.tp, stats.overlap.fp, stats.overlap.fn).f1,
        ...withReason("stanceF1", stance.f1, stance.reason),
        counts: { exact: stats.exact, overlap: stats.overlap, stance: stats.stance },
      });
    }
  }

  const alpha = nominalAlphaFromCoincidences(alphaValues, alphaAgreement, alphaMarginals);
  const alphaReason = alpha.reason === NO_PAIRABLE_VALUES ? NO_ARTICLE_WITH_TWO : alpha.reason;

  const perType: Record<string, AgreementTypeFigures> = {};
  labelNames.forEach((name, i) => {
    const c = i + 1;
    const binary = nominalAlphaFromCoincidences(alphaValues, alphaValues + typeCorrection[c]!, [alphaMarginals[c]!, alphaValues - alphaMarginals[c]!]);
    const binaryReason = alphaValues === 0 ? NO_ARTICLE_WITH_TWO : alphaMarginals[c] === 0 ? TYPE_NOT_USED : binary.reason;
    const span = f1FromCounts(typeCounts.tp[c]!, typeCounts.fp[c]!, typeCounts.fn[c]!, NO_MENTIONS_OF_TYPE);
    const mentions: Record<string, number> = {};
    annotatorIds.forEach((id, a) => (mentions[id] = mentionsByType[a]![c]!));
    perType[name] = {
      ...withReason("tokenAlpha", binary.alpha, binaryReason),
      ...withReason("spanF1", span.f1, span.reason),
      counts: { tp: span.tp, fp: span.fp, fn: span.fn },
      mentions,
    };
  });

  const stance = f1FromCounts(stanceTotals.tp, stanceTotals.fp, stanceTotals.fn, NO_STANCES);
  return {
    annotators: annotatorIds.map((id, a) => ({
      id,
      name: input.annotatorNames[id] ?? id,
      articles: annotatorArticles[a]!,
      mentions: annotatorMentions[a]!,
      stances: annotatorStances[a]!,
    })),
    labels: [...labelNames],
    articles: input.articles.length,
    ...withReason("tokenAlpha", alpha.alpha, alphaReason),
    tokens: tokensCompared,
    tokensTotal,
    pairableValues: alphaValues,
    pairs,
    perType,
    perArticle,
    stance: { f1: stance.f1, ...(stance.reason !== undefined ? { reason: stance.reason } : {}), tuples, counts: stanceTotals },
  };
}
