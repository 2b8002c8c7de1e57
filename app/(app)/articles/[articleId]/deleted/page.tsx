import type { Metadata } from "next";
import Link from "next/link";
import { DeletedLayerTable } from "@/components/history/deleted-layer-table";
import { RestoreLayerButton } from "@/components/history/restore-buttons";
import { getArticleHeading } from "@/lib/server/history/article-heading";
import { listDeletedAnnotations, maxListed } from "@/lib/server/history/list-deleted";
import { describeLabel, parseSnapshot } from "@/lib/server/history/readable";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";

export const metadata: Metadata = { title: "Deleted annotations" };

/** My deleted annotations on an article (reviewers and owners: every annotator's, per layer), to restore one or all. */
export default async function DeletedAnnotationsPage({ params }: { params: Promise<{ articleId: string }> }) {
  const { articleId } = await params;
  const user = await requirePageUser();
  const [article, deleted] = await loadOrNotFound(
    Promise.all([getArticleHeading({ userId: user.id, articleId }), listDeletedAnnotations({ userId: user.id, articleId })]),
  );
  return (
    <main>
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${article.projectId}`}>{article.projectName}</Link> /{" "}
        <Link href={`/articles/${articleId}`}>{article.title}</Link> / Deleted annotations
      </p>
      <h1>Deleted annotations: {article.title}</h1>
      <p className="muted">
        A deleted annotation can be restored by its annotator and by the project’s reviewers and owners. Restoring puts it back
        exactly as it was, on the article version it was made on; overlapping annotations are allowed.
      </p>
      {deleted.layers.length === 0 && (
        <p>{deleted.role === "annotator" ? "You have no deleted annotations on this article." : "No annotator has deleted annotations on this article."}</p>
      )}
      {deleted.layers.map((layer) => {
        const isMine = layer.annotator.id === user.id;
        const layerName = isMine ? "my layer" : `${layer.annotator.name}’s layer`;
        const headingId = `layer-${layer.annotator.id}`;
        return (
          <section key={layer.annotator.id} className="stack" aria-labelledby={headingId}>
            <h2 id={headingId}>
              {isMine ? "My layer" : `${layer.annotator.name}’s layer`} ({layer.annotations.length} deleted)
            </h2>
            <RestoreLayerButton articleId={articleId} annotatorId={layer.annotator.id} layerName={layerName} count={layer.annotations.length} />
            <DeletedLayerTable
              layerName={layerName}
              rows={layer.annotations.map((annotation) => ({ annotation, label: describeLabel(parseSnapshot(annotation)!.annotation) }))}
            />
          </section>
        );
      })}
      {deleted.truncated && (
        <p className="muted">
          Only the {maxListed.toLocaleString("en")} most recently deleted annotations are listed; “Restore all” restores the others of the layer too.
        </p>
      )}
    </main>
  );
}
