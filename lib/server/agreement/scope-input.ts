import "server-only";
import type { AgreementInput } from "@/lib/agreement";
import { AppError } from "@/lib/errors";
import type { ProjectAgreementInput } from "@/lib/server/review/agreement-input";

/**
 * Who is listed as an annotator: every member with the annotator role (one who has not started yet shows as an
 * annotator with no articles) and everyone, of any role, who participates in an article. Owners and reviewers who
 * never annotated are left out. Listed by name, then id, so that the order of the figures is stable.
 */
export function pickAnnotators(input: ProjectAgreementInput, annotatorMemberIds: readonly string[]): Record<string, string> {
  const ids = new Set(annotatorMemberIds);
  for (const article of input.articles) for (const annotator of article.annotators) ids.add(annotator.userId);
  const nameOf = (id: string) => input.annotatorNames[id] ?? id;
  const sorted = [...ids].sort((x, y) => nameOf(x).localeCompare(nameOf(y), "en") || (x < y ? -1 : x > y ? 1 : 0));
  return Object.fromEntries(sorted.map((id) => [id, nameOf(id)]));
}

/**
 * The project's type name for `type` (exact, else case-insensitive). Throws `validation_failed` naming the
 * project's types when there is none.
 */
export function resolveEntityType(labels: readonly string[], type: string): string {
  const found = labels.find((label) => label === type) ?? labels.find((label) => label.toLowerCase() === type.toLowerCase());
  if (found === undefined) {
    throw new AppError("validation_failed", `type: unknown entity type ${JSON.stringify(type)}. This project's entity types are ${labels.join(", ")}.`, {
      field: "type",
      allowed: [...labels],
    });
  }
  return found;
}

/**
 * computeAgreement's input for the project: the chosen annotators, and with `type` only the mentions of that type
 * (participation does not change: an annotator who tagged no mention of the type labels every token "O").
 * Stances are kept whatever the type.
 */
export function scopeAgreementInput(input: ProjectAgreementInput, annotatorNames: Record<string, string>, type: string | null): AgreementInput {
  if (type === null) return { labels: input.labels, articles: input.articles, annotatorNames };
  return {
    labels: [type],
    annotatorNames,
    articles: input.articles.map((article) => ({
      ...article,
      annotators: article.annotators.map((annotator) => ({ ...annotator, mentions: annotator.mentions.filter((mention) => mention.label === type) })),
    })),
  };
}

/** Annotators with at least one live annotation (mention or stance) in the project. */
export function countAnnotatorsWithAnnotations(input: ProjectAgreementInput): number {
  const ids = new Set<string>();
  for (const article of input.articles) {
    for (const annotator of article.annotators) if (annotator.mentions.length > 0 || annotator.stances.length > 0) ids.add(annotator.userId);
  }
  return ids.size;
}

/**
 * Throws `not_enough_data` (422) unless some article has two or more participating annotators: without one there is
 * nothing to compare, and every figure would be undefined.
 */
export function requireComparableArticle(input: ProjectAgreementInput): void {
  if (input.articles.some((article) => article.annotators.length >= 2)) return;
  const withAnnotations = countAnnotatorsWithAnnotations(input);
  const hint =
    withAnnotations >= 2
      ? " None of them has annotated (or finished) an article another one annotated: ask one to annotate an article the other already did."
      : " Add annotators to the project and have at least two of them annotate the same article.";
  throw new AppError(
    "not_enough_data",
    `Agreement needs at least two annotators who annotated the same article; this project has ${withAnnotations} annotator(s) with annotations.${hint}`,
    { annotatorsWithAnnotations: withAnnotations, annotatorsNeeded: 2 },
  );
}
