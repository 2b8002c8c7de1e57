import "server-only";
import { computeAgreement, type AgreementInput, type AgreementResult } from "@/lib/agreement";
import { db } from "@/lib/db";
import { requireProjectRole } from "@/lib/server/authz";
import { loadProjectAgreementInput } from "@/lib/server/review/agreement-input";
import { withFiniteFigures } from "./finite-figures";
import { listPairArticles, type PairArticles } from "./pair-articles";
import { pickAnnotators, requireComparableArticle, resolveEntityType, scopeAgreementInput } from "./scope-input";

/** The body of GET /api/projects/:id/agreement: computeAgreement's result and the type it is restricted to. */
export type ProjectAgreement = AgreementResult & { type: string | null };

export interface ProjectAgreementReport {
  agreement: ProjectAgreement;
  /** Per pair (in `agreement.pairs` order): the shared articles with the most disagreements, for the page. */
  pairArticles: PairArticles[];
}

async function loadScopedInput({ userId, projectId, type }: { userId: string; projectId: string; type?: string }): Promise<{ input: AgreementInput; type: string | null }> {
  await requireProjectRole({ userId, projectId, minimumRole: "reviewer" });
  const [project, annotatorMembers] = await Promise.all([
    loadProjectAgreementInput(projectId),
    db.membership.findMany({ where: { projectId, role: "annotator" }, select: { userId: true } }),
  ]);
  const resolvedType = type === undefined ? null : resolveEntityType(project.labels, type);
  requireComparableArticle(project);
  const annotatorNames = pickAnnotators(
    project,
    annotatorMembers.map((member) => member.userId),
  );
  return { input: scopeAgreementInput(project, annotatorNames, resolvedType), type: resolvedType };
}

/**
 * Inter-annotator agreement of a project (DEFINITIONS.md in lib/agreement), for reviewers and owners; `type`
 * restricts the mention figures to one entity type. Throws `not_found` to non-members, `forbidden` to annotators,
 * `validation_failed` for an unknown type, and `not_enough_data` while no article has two participating annotators.
 */
export async function getProjectAgreement({ userId, projectId, type }: { userId: string; projectId: string; type?: string }): Promise<ProjectAgreement> {
  const scoped = await loadScopedInput({ userId, projectId, type });
  return withFiniteFigures({ type: scoped.type, ...computeAgreement(scoped.input) });
}

/** getProjectAgreement, plus what the agreement page lists under the heatmap: each pair's most disputed articles. */
export async function getProjectAgreementReport({
  userId,
  projectId,
  type,
  articlesPerPair = 20,
}: {
  userId: string;
  projectId: string;
  type?: string;
  articlesPerPair?: number;
}): Promise<ProjectAgreementReport> {
  const scoped = await loadScopedInput({ userId, projectId, type });
  const agreement = withFiniteFigures({ type: scoped.type, ...computeAgreement(scoped.input) });
  return {
    agreement,
    pairArticles: listPairArticles(
      scoped.input,
      agreement.annotators.map((annotator) => annotator.id),
      articlesPerPair,
    ),
  };
}
