import "server-only";
import { db } from "@/lib/db";
import { requireArticleRole } from "@/lib/server/authz";
import type { MemberRoleName } from "@/lib/validation/project";

export interface ArticleHeading {
  articleId: string;
  title: string;
  projectId: string;
  projectName: string;
  role: MemberRoleName;
}

/** What the history pages' breadcrumbs show of an article, without its text. Throws `not_found` for non-members. */
export async function getArticleHeading({ userId, articleId }: { userId: string; articleId: string }): Promise<ArticleHeading> {
  const { projectId, role } = await requireArticleRole({ userId, articleId });
  const article = await db.article.findUniqueOrThrow({
    where: { id: articleId },
    select: { project: { select: { name: true } }, versions: { select: { version: true, title: true }, orderBy: { version: "desc" }, take: 1 } },
  });
  return { articleId, title: article.versions[0]?.title ?? "(untitled)", projectId, projectName: article.project.name, role };
}
