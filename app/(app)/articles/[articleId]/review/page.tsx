import type { Metadata } from "next";
import Link from "next/link";
import { ReviewWorkspace } from "@/components/review/review-workspace";
import { ClientOnly } from "@/components/ui/client-only";
import { packReview } from "@/lib/review/packed-review";
import { getArticleForUser } from "@/lib/server/articles/articles";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";
import { getProjectForMember } from "@/lib/server/projects/projects";
import { requireArticleRole } from "@/lib/server/authz";
import { getArticleReview } from "@/lib/server/review/get-review";

export const metadata: Metadata = { title: "Review" };

/** Reviewers and owners compare the annotators' layers and settle them into gold; for anyone else it is a 404. */
export default async function ReviewPage({ params }: { params: Promise<{ articleId: string }> }) {
  const { articleId } = await params;
  const user = await requirePageUser();
  const { projectId } = await loadOrNotFound(requireArticleRole({ userId: user.id, articleId, minimumRole: "reviewer" }));
  const [article, project] = await Promise.all([getArticleForUser({ userId: user.id, articleId }), getProjectForMember({ userId: user.id, projectId })]);
  // Not awaited: the page and the text go out while the server compares the layers; the review streams after.
  // (Started last: on the embedded database its transaction would hold up the queries above.)
  const review = getArticleReview({ userId: user.id, articleId }).then((found) => JSON.stringify(packReview(found)));
  return (
    <main>
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${project.id}`}>{project.name}</Link> /{" "}
        <Link href={`/articles/${articleId}`}>{article.title}</Link> / Review
      </p>
      <h1>Review: {article.title}</h1>
      <ClientOnly fallback={<p className="muted">Loading the text and the annotators’ layers…</p>}>
        <ReviewWorkspace
          article={{ id: article.id, title: article.title }}
          text={article.text}
          entityTypes={project.entityTypes.map(({ name, color }) => ({ name, color }))}
          initialReview={review}
        />
      </ClientOnly>
    </main>
  );
}
