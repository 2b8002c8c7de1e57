import type { Metadata } from "next";
import Link from "next/link";
import { ArticleReader } from "@/components/reader/article-reader";
import { getArticleForUser } from "@/lib/server/articles/articles";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";
import { getProjectForMember } from "@/lib/server/projects/projects";

export const metadata: Metadata = { title: "Article" };

export default async function ArticlePage({ params }: { params: Promise<{ articleId: string }> }) {
  const { articleId } = await params;
  const user = await requirePageUser();
  const article = await loadOrNotFound(getArticleForUser({ userId: user.id, articleId }));
  const project = await getProjectForMember({ userId: user.id, projectId: article.projectId });
  return (
    <main>
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${project.id}`}>{project.name}</Link> / {article.title}
      </p>
      <h1>{article.title}</h1>
      <div className="reader-layout">
        <ArticleReader text={article.text} title={article.title} />
        <aside className="card" aria-label="Article details">
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
              <code>{article.textSha256.slice(0, 16)}…</code>
            </dd>
          </dl>
        </aside>
      </div>
    </main>
  );
}
