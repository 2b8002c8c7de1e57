import type { Metadata } from "next";
import Link from "next/link";
import { CreateProjectForm } from "@/components/projects/create-project-form";
import { requirePageUser } from "@/lib/server/pages";
import { listProjectsForUser } from "@/lib/server/projects/projects";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const user = await requirePageUser();
  const projects = await listProjectsForUser({ userId: user.id });
  return (
    <main>
      <h1>Projects</h1>
      {projects.length === 0 ? (
        <p className="muted">You are not a member of any project yet. Create one, or ask an owner to add you.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Project</th>
              <th scope="col">Your role</th>
              <th scope="col">Articles</th>
            </tr>
          </thead>
          <tbody>
            {projects.map((project) => (
              <tr key={project.id}>
                <td>
                  <Link href={`/projects/${project.id}`}>{project.name}</Link>
                  {project.isDemo && <span className="badge"> demo</span>}
                  {project.description && <div className="muted">{project.description}</div>}
                </td>
                <td>{project.role}</td>
                <td>{project.articleCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>New project</h2>
      <div className="card">
        <CreateProjectForm />
      </div>
    </main>
  );
}
