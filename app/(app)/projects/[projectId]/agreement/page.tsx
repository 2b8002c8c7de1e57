import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AgreementArticleTable } from "@/components/agreement/agreement-article-table";
import { AgreementDefinitions } from "@/components/agreement/agreement-definitions";
import { AgreementHeadline } from "@/components/agreement/agreement-headline";
import { AgreementHeatmap, type HeatmapPair } from "@/components/agreement/agreement-heatmap";
import { AgreementPairArticles, pairAnchor } from "@/components/agreement/agreement-pair-articles";
import { AgreementTypeBars } from "@/components/agreement/agreement-type-bars";
import { AppError } from "@/lib/errors";
import { readAgreementDefinitions } from "@/lib/server/agreement/definitions";
import { getProjectAgreementReport, type ProjectAgreementReport } from "@/lib/server/agreement/project-agreement";
import { hasRole } from "@/lib/server/authz";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";
import { getProjectForMember } from "@/lib/server/projects/projects";
import { agreementQuerySchema } from "@/lib/validation/agreement";

export const metadata: Metadata = { title: "Agreement" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AgreementPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<SearchParams> }) {
  const [{ projectId }, query] = await Promise.all([params, searchParams]);
  const user = await requirePageUser();
  const project = await loadOrNotFound(getProjectForMember({ userId: user.id, projectId }));
  if (!hasRole(project.role, "reviewer")) notFound();
  const rawType = Array.isArray(query.type) ? query.type[0] : query.type;
  const parsed = agreementQuerySchema.safeParse({ type: rawType });
  const type = parsed.success ? parsed.data.type : undefined;

  let report: ProjectAgreementReport | null = null;
  let problem: string | null = null;
  try {
    report = await loadOrNotFound(getProjectAgreementReport({ userId: user.id, projectId, type }));
  } catch (error) {
    if (!(error instanceof AppError) || (error.code !== "not_enough_data" && error.code !== "validation_failed")) throw error;
    problem = error.message;
  }
  const definitions = await readAgreementDefinitions();
  const colors = Object.fromEntries(project.entityTypes.map((entityType) => [entityType.name, entityType.color]));

  return (
    <main className="agreement-page">
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${project.id}`}>{project.name}</Link> / Agreement
      </p>
      <h1>Inter-annotator agreement</h1>
      <p className="muted">
        How far the annotators agree with each other, computed from their own layers (not the gold layer) on the articles’ current text. Units are
        the tokens of the text, as in the CoNLL export; an annotator counts in an article once they annotated in it or marked it finished, and
        articles they did not take part in are missing values for them, not “O”. Definitions at the end of the page.
      </p>

      <form method="get" className="row agreement-filter" aria-label="Restrict the figures to one entity type">
        <label>
          Entity type
          <select name="type" defaultValue={report?.agreement.type ?? ""}>
            <option value="">All types</option>
            {project.entityTypes.map((entityType) => (
              <option key={entityType.id} value={entityType.name}>
                {entityType.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="secondary">
          Show agreement
        </button>
        <span className="small muted">Restricting to one type changes the mention figures; stance figures always cover every stance.</span>
      </form>

      {problem !== null || report === null ? (
        <p className="alert" role="status">
          {problem}
        </p>
      ) : (
        <AgreementReport report={report} colors={colors} />
      )}

      <section aria-labelledby="definitions-heading">
        <h2 id="definitions-heading">Definitions</h2>
        {definitions ? <AgreementDefinitions markdown={definitions} /> : <p className="muted">The definitions file (lib/agreement/DEFINITIONS.md) is missing.</p>}
      </section>
    </main>
  );
}

function AgreementReport({ report, colors }: { report: ProjectAgreementReport; colors: Record<string, string> }) {
  const { agreement, pairArticles } = report;
  const names = Object.fromEntries(agreement.annotators.map((annotator) => [annotator.id, annotator.name]));
  const indexOf = Object.fromEntries(agreement.annotators.map((annotator, index) => [annotator.id, index]));
  const disagreementsOf = new Map(pairArticles.map((pair) => [`${pair.a} ${pair.b}`, pair.disagreements]));
  const heatmapPairs: HeatmapPair[] = agreement.pairs.map((pair) => ({
    a: pair.a,
    b: pair.b,
    articles: pair.articles,
    disagreements: disagreementsOf.get(`${pair.a} ${pair.b}`) ?? 0,
    tokenKappa: pair.tokenKappa,
    tokenKappaReason: pair.tokenKappaReason,
    spanF1: pair.spanF1,
    spanF1Reason: pair.spanF1Reason,
    spanF1Overlap: pair.spanF1Overlap,
    stanceF1: pair.stanceF1,
    stanceF1Reason: pair.stanceF1Reason,
    anchor: pairAnchor(indexOf[pair.a]!, indexOf[pair.b]!),
  }));
  return (
    <>
      {agreement.type && <p className="notice">Mention figures for entity type {agreement.type} only.</p>}
      <section aria-labelledby="headline-heading">
        <h2 id="headline-heading">Overall</h2>
        <AgreementHeadline agreement={agreement} />
      </section>

      <section aria-labelledby="pairs-heading">
        <h2 id="pairs-heading">Pairs of annotators</h2>
        {agreement.annotators.length < 2 ? (
          <p className="muted">Only one annotator: no pairs.</p>
        ) : (
          <>
            <AgreementHeatmap annotators={agreement.annotators.map(({ id, name }) => ({ id, name }))} pairs={heatmapPairs} />
            <h3 className="small-heading agreement-pairs-heading">Articles each pair shares, most disagreements first</h3>
            <AgreementPairArticles pairs={pairArticles} names={names} indexOf={indexOf} />
          </>
        )}
      </section>

      <section aria-labelledby="types-heading">
        <h2 id="types-heading">Per entity type</h2>
        <AgreementTypeBars agreement={agreement} colors={colors} />
      </section>

      <section aria-labelledby="articles-heading">
        <h2 id="articles-heading" tabIndex={-1}>
          Articles, most disagreements first
        </h2>
        <p className="small muted">
          Disagreements: mentions without an exact match (same start, end and type) in at least one other annotator’s layer, plus stance tuples
          likewise. Each article opens in the review view.
        </p>
        <AgreementArticleTable articles={agreement.perArticle} />
      </section>
    </>
  );
}
