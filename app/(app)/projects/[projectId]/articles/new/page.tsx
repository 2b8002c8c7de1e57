import type { Metadata } from "next";
import Link from "next/link";
import { AddArticleForm } from "@/components/articles/add-article-form";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";
import { getProjectForMember } from "@/lib/server/projects/projects";

export const metadata: Metadata = { title: "Add article" };

export default async function NewArticlePage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await requirePageUser();
  const project = await loadOrNotFound(getProjectForMember({ userId: user.id, projectId }));
  return (
    <main>
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${project.id}`}>{project.name}</Link> / Add article
      </p>
      <h1>Add an article</h1>
      <AddArticleForm projectId={project.id} />
    </main>
  );
}
