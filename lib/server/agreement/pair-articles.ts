import "server-only";
import { matchExact, matchStances, type AgreementInput } from "@/lib/agreement";

export interface PairArticle {
  id: string;
  title: string;
  /** Mentions of either annotator without an exact match in the other's layer, plus stance tuples likewise. */
  disagreements: number;
}

export interface PairArticles {
  a: string;
  b: string;
  /** Articles both participate in. */
  shared: number;
  /** Of those, the ones with at least one disagreement between the two. */
  withDisagreements: number;
  disagreements: number;
  /** The articles with the most disagreements first (ties by article order), at most `limit`, none without any. */
  top: PairArticle[];
}

/**
 * For each pair of annotators (in `annotatorOrder`, a before b, as in computeAgreement's `pairs`), the articles they
 * share and what disagrees between the two of them in each: the fp + fn of the exact mention matching and of the
 * stance tuple matching, counted as DEFINITIONS.md counts `disagreements`, but for this pair only.
 */
export function listPairArticles(input: AgreementInput, annotatorOrder: readonly string[], limit = 20): PairArticles[] {
  const index = new Map(annotatorOrder.map((id, i) => [id, i]));
  const n = annotatorOrder.length;
  const perPair = new Map<number, { shared: number; articles: PairArticle[] }>();
  for (const article of input.articles) {
    const layers = article.annotators.filter((layer) => index.has(layer.userId)).sort((x, y) => index.get(x.userId)! - index.get(y.userId)!);
    for (let p = 0; p < layers.length; p++) {
      for (let q = p + 1; q < layers.length; q++) {
        const a = layers[p]!;
        const b = layers[q]!;
        if (a.userId === b.userId) continue;
        const mentions = matchExact(a.mentions, b.mentions);
        const stances = matchStances(a.stances, b.stances);
        const disagreements = a.mentions.length + b.mentions.length - 2 * mentions.tp + a.stances.length + b.stances.length - 2 * stances.tp;
        const key = index.get(a.userId)! * n + index.get(b.userId)!;
        let entry = perPair.get(key);
        if (!entry) perPair.set(key, (entry = { shared: 0, articles: [] }));
        entry.shared++;
        if (disagreements > 0) entry.articles.push({ id: article.id, title: article.title, disagreements });
      }
    }
  }
  const out: PairArticles[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const entry = perPair.get(i * n + j);
      const articles = entry?.articles ?? [];
      // Stable sort: ties keep the project's article order.
      const sorted = [...articles].sort((x, y) => y.disagreements - x.disagreements);
      out.push({
        a: annotatorOrder[i]!,
        b: annotatorOrder[j]!,
        shared: entry?.shared ?? 0,
        withDisagreements: articles.length,
        disagreements: articles.reduce((sum, article) => sum + article.disagreements, 0),
        top: sorted.slice(0, limit),
      });
    }
  }
  return out;
}
