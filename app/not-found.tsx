import Link from "next/link";

export default function NotFound() {
  return (
    <main>
      <h1>Not found</h1>
      <p>This page does not exist, or it belongs to a project you are not a member of.</p>
      <p>
        <Link href="/projects">Back to your projects</Link>
      </p>
    </main>
  );
}
