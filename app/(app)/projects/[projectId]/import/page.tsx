import type { Metadata } from "next";
import Link from "next/link";
import { DatasetImportForm } from "@/components/dataset-import/dataset-import-form";
import { hasRole } from "@/lib/server/authz";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";
import { getProjectForMember } from "@/lib/server/projects/projects";

export const metadata: Metadata = { title: "Import a dataset" };

export default async function DatasetImportPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await requirePageUser();
  const project = await loadOrNotFound(getProjectForMember({ userId: user.id, projectId }));
  return (
    <main>
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${project.id}`}>{project.name}</Link> / <Link href={`/projects/${project.id}/export`}>Export</Link> / Import
      </p>
      <h1>Import a dataset</h1>
      {hasRole(project.role, "reviewer") ? (
        <>
          <p className="muted">
            Import a Spanlight JSON Lines export or a brat collection (zip) with its annotations. Offsets are checked against every
            text; a file with any problem is refused whole, naming the file and line.
          </p>
          <DatasetImportForm projectId={project.id} />
        </>
      ) : (
        <p role="alert">Only reviewers and owners of this project may import datasets.</p>
      )}
    </main>
  );
}
