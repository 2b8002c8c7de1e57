import type { Metadata } from "next";
import Link from "next/link";
import { formatTime } from "@/components/history/format-time";
import { HistoryTimeline } from "@/components/history/history-timeline";
import { RestoreAnnotationButton } from "@/components/history/restore-buttons";
import { getArticleHeading } from "@/lib/server/history/article-heading";
import { getAnnotationHistory } from "@/lib/server/history/get-annotation-history";
import { boundariesText } from "@/lib/server/history/readable";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";

export const metadata: Metadata = { title: "Annotation history" };

/** An annotation's history for its annotator and the project's reviewers and owners; a 404 for anyone else. */
export default async function AnnotationHistoryPage({ params }: { params: Promise<{ annotationId: string }> }) {
  const { annotationId } = await params;
  const user = await requirePageUser();
  const history = await loadOrNotFound(getAnnotationHistory({ userId: user.id, annotationId }));
  const { annotation } = history;
  const article = await getArticleHeading({ userId: user.id, articleId: annotation.articleId });
  const layerName = annotation.layer === "gold" ? "the gold layer" : annotation.annotator?.id === user.id ? "my layer" : `${annotation.annotator?.name ?? "an annotator"}’s layer`;
  const description = `“${annotation.current.quote}” (${annotation.label})`;
  return (
    <main>
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${article.projectId}`}>{article.projectName}</Link> /{" "}
        <Link href={`/articles/${article.articleId}`}>{article.title}</Link> / Annotation history
      </p>
      <h1>History of “{annotation.current.quote}”</h1>
      <section className="card stack" aria-labelledby="annotation-heading">
        <h2 id="annotation-heading" className="small-heading">
          The annotation now
        </h2>
        <p>
          {boundariesText(annotation.current)} · {annotation.label} · in {layerName}
        </p>
        {annotation.deletedAt ? (
          <p>
            <span className="badge">Deleted</span> <time dateTime={annotation.deletedAt}>{formatTime(annotation.deletedAt)}</time>
          </p>
        ) : (
          <p>
            <span className="badge">Live</span> version {annotation.version}
          </p>
        )}
        {history.canRestore && <RestoreAnnotationButton annotationId={annotation.id} version={annotation.version} description={description} />}
        {annotation.layer === "user" && (
          <p className="small">
            <Link href={`/articles/${article.articleId}/deleted`}>Deleted annotations on this article</Link>
          </p>
        )}
      </section>
      <h2>Changes</h2>
      <HistoryTimeline events={history.events} createdAt={annotation.createdAt} />
    </main>
  );
}
