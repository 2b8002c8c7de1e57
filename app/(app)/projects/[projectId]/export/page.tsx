import type { Metadata } from "next";
import Link from "next/link";
import { ExportForm } from "@/components/export/export-form";
import { exportFormats } from "@/lib/export/model";
import { formatFiles } from "@/lib/export/stream";
import { listArticles } from "@/lib/server/articles/articles";
import { hasRole } from "@/lib/server/authz";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";
import { listMembers } from "@/lib/server/projects/members";
import { getProjectForMember } from "@/lib/server/projects/projects";

export const metadata: Metadata = { title: "Export" };

export default async function ExportPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await requirePageUser();
  const project = await loadOrNotFound(getProjectForMember({ userId: user.id, projectId }));
  const [articles, members] = await Promise.all([listArticles({ userId: user.id, projectId }), listMembers({ userId: user.id, projectId })]);
  const isReviewer = hasRole(project.role, "reviewer");
  const layers = [
    { value: "gold", label: "Gold (reviewed)" },
    ...(isReviewer ? [{ value: "all", label: "All layers (gold and every annotator)" }] : []),
    { value: "mine", label: "My layer" },
    ...(isReviewer ? members.filter((member) => member.userId !== user.id).map((member) => ({ value: member.userId, label: `${member.name}’s layer` })) : []),
  ];
  return (
    <main>
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${project.id}`}>{project.name}</Link> / Export
      </p>
      <h1>Export a dataset</h1>
      <p className="muted">
        Offsets are Unicode code points in every format (the native JSON Lines also gives UTF-16 offsets). Tokens and sentences are
        the ones the agreement figures use.
      </p>
      <ExportForm
        projectId={project.id}
        formats={exportFormats.map((format) => ({ value: format, label: formatFiles[format].description }))}
        layers={layers}
        articles={articles.map((article) => ({ id: article.id, title: article.title }))}
        entityTypes={project.entityTypes.map((type) => type.name)}
      />
      {isReviewer ? (
        <p>
          <Link href={`/projects/${project.id}/import`}>Import a dataset</Link> (a Spanlight .jsonl export or a brat .zip) into this project.
        </p>
      ) : null}
    </main>
  );
}
