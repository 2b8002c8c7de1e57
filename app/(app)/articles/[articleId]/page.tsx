import type { Metadata } from "next";
import Link from "next/link";
import { AnnotatingReader } from "@/components/reader/annotating-reader";
import { ClientOnly } from "@/components/ui/client-only";
import { getMyArticleStatus } from "@/lib/server/annotations/annotator-status";
import { loadMyReaderLayer } from "@/lib/server/annotations/reader-layer";
import { hasRole } from "@/lib/server/authz";
import { getArticleForUser } from "@/lib/server/articles/articles";
import { listEntities } from "@/lib/server/entities/list-entities";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";
import { getProjectForMember } from "@/lib/server/projects/projects";

export const metadata: Metadata = { title: "Article" };

export default async function ArticlePage({ params }: { params: Promise<{ articleId: string }> }) {
  const { articleId } = await params;
  const user = await requirePageUser();
  const article = await loadOrNotFound(getArticleForUser({ userId: user.id, articleId }));
  const [project, myStatus, myLayer, entities] = await Promise.all([
    getProjectForMember({ userId: user.id, projectId: article.projectId }),
    getMyArticleStatus({ userId: user.id, articleId }),
    loadMyReaderLayer({ userId: user.id, articleId }),
    listEntities({ userId: user.id, projectId: article.projectId }),
  ]);
  return (
    <main>
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${project.id}`}>{project.name}</Link> / {article.title}
      </p>
      <h1>{article.title}</h1>
      <p className="row">
        {hasRole(article.role, "reviewer") && (
          <Link href={`/articles/${article.id}/review`}>Review this article: compare the annotators’ layers and build gold</Link>
        )}
        <Link href={`/articles/${article.id}/deleted`}>Deleted annotations</Link>
      </p>
      <ClientOnly fallback={<p className="muted">Loading the text and your annotations…</p>}>
        <AnnotatingReader
          article={{ id: article.id, projectId: article.projectId, title: article.title, text: article.text }}
          entityTypes={project.entityTypes.map(({ name, color }) => ({ name, color }))}
          polarities={project.polarities.map(({ name }) => name)}
          initialStatus={myStatus}
          initialLayer={myLayer}
          initialEntities={entities}
          userId={user.id}
        />
      </ClientOnly>
      <details className="card article-details">
        <summary>Article details</summary>
        <dl className="meta">
          <dt>Source</dt>
          <dd>{article.source ?? "—"}</dd>
          <dt>Version</dt>
          <dd>{article.version}</dd>
          <dt>Length</dt>
          <dd>{article.text.length.toLocaleString("en")} UTF-16 code units</dd>
          {article.originalFileName && (
            <>
              <dt>Imported from</dt>
              <dd>{article.originalFileName}</dd>
            </>
          )}
          <dt>SHA-256 of the text</dt>
          <dd>
            <code>{article.textSha256}</code>
          </dd>
        </dl>
      </details>
    </main>
  );
}
