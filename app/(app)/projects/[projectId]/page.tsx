import type { Metadata } from "next";
import Link from "next/link";
import { AddMemberForm } from "@/components/projects/add-member-form";
import { ArticleTable } from "@/components/projects/article-table";
import { listArticles } from "@/lib/server/articles/articles";
import { hasRole } from "@/lib/server/authz";
import { loadOrNotFound, requirePageUser } from "@/lib/server/pages";
import { listMembers } from "@/lib/server/projects/members";
import { getProjectForMember } from "@/lib/server/projects/projects";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await requirePageUser();
  const project = await loadOrNotFound(getProjectForMember({ userId: user.id, projectId }));
  const [articles, members] = await Promise.all([listArticles({ userId: user.id, projectId }), listMembers({ userId: user.id, projectId })]);
  const isOwner = project.role === "owner";
  return (
    <main>
      <p className="muted">
        <Link href="/projects">Projects</Link> / {project.name}
      </p>
      <h1>{project.name}</h1>
      {project.description && <p>{project.description}</p>}
      <p className="muted">
        You are {project.role === "annotator" ? "an" : "a"} {project.role}. Entity types:{" "}
        {project.entityTypes.map((type) => type.name).join(", ")}. Stance polarities: {project.polarities.map((p) => p.name).join(", ")}.
      </p>

      <section aria-labelledby="articles-heading">
        <div className="row" style={{ justifyContent: "space-between", alignItems: "center" }}>
          <h2 id="articles-heading">Articles ({articles.length})</h2>
          <span className="row">
            <Link href={`/projects/${project.id}/entities`}>Entities</Link>
            {hasRole(project.role, "reviewer") && <Link href={`/projects/${project.id}/agreement`}>Agreement</Link>}
            <Link href={`/projects/${project.id}/export`}>Export</Link>
            <Link href={`/projects/${project.id}/articles/new`}>Add article</Link>
          </span>
        </div>
        <ArticleTable articles={articles} showReview={hasRole(project.role, "reviewer")} />
      </section>

      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.userId}>
                <td>{member.name}</td>
                <td>{member.email}</td>
                <td>{member.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {isOwner && (
          <div className="card" style={{ marginTop: "0.75rem" }}>
            <AddMemberForm projectId={project.id} />
          </div>
        )}
      </section>
    </main>
  );
}
