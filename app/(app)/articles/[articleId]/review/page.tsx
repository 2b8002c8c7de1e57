import type { Metadata } from "next";
import Link from "next/link";
import { ReviewWorkspace } from "@/components/review/review-workspace";
import { packReview } from "@/lib/review/packed-review";
import { getArticleForUser } from "@/lib/server/articles/articles";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";
import { getProjectForMember } from "@/lib/server/projects/projects";
import { getArticleReview } from "@/lib/server/review/get-review";

export const metadata: Metadata = { title: "Review" };

/** Reviewers and owners compare the annotators' layers and settle them into gold; for anyone else it is a 404. */
export default async function ReviewPage({ params }: { params: Promise<{ articleId: string }> }) {
  const { articleId } = await params;
  const user = await requirePageUser();
  const [review, article] = await loadOrNotFound(Promise.all([getArticleReview({ userId: user.id, articleId }), getArticleForUser({ userId: user.id, articleId })]));
  const project = await getProjectForMember({ userId: user.id, projectId: article.projectId });
  return (
    <main>
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${project.id}`}>{project.name}</Link> /{" "}
        <Link href={`/articles/${articleId}`}>{article.title}</Link> / Review
      </p>
      <h1>Review: {article.title}</h1>
      <ReviewWorkspace initialReviewJson={JSON.stringify(packReview(review))} text={article.text} entityTypes={project.entityTypes.map(({ name, color }) => ({ name, color }))} />
    </main>
  );
}
