import type { Metadata } from "next";
import Link from "next/link";
import { EntityRegistry } from "@/components/entities/entity-registry";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";
import { getProjectForMember } from "@/lib/server/projects/projects";

export const metadata: Metadata = { title: "Entities" };

export default async function EntitiesPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await requirePageUser();
  const project = await loadOrNotFound(getProjectForMember({ userId: user.id, projectId }));
  return (
    <main>
      <p className="muted">
        <Link href="/projects">Projects</Link> / <Link href={`/projects/${project.id}`}>{project.name}</Link> / Entities
      </p>
      <h1>Canonical entities</h1>
      <p className="muted">
        One entity per real-world referent: “Daesh”, “IS” and “Islamic State” are aliases of one. Merging two entities relinks every
        mention and stance.
      </p>
      <EntityRegistry projectId={project.id} entityTypes={project.entityTypes.map((type) => type.name)} />
    </main>
  );
}
