import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getPageUser } from "@/lib/server/auth/current-user";
import { isSignupOpen } from "@/lib/server/auth/users";
import { isDemoEnabled } from "@/lib/server/demo/seed";

export const metadata: Metadata = { title: "Sign in" };

function safeNext(next: string | string[] | undefined): string {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : "/projects";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await getPageUser()) redirect(next);
  return (
    <main className="auth-page">
      <h1>Sign in to Spanlight</h1>
      <div className="card">
        <SignInForm next={next} />
      </div>
      {isSignupOpen() && (
        <p className="muted">
          No account yet? <Link href="/sign-up">Create one</Link>.
        </p>
      )}
      {isDemoEnabled() && (
        <p className="muted">
          Trying it out? Sign in as <code>reviewer@demo.spanlight</code>, <code>ana@demo.spanlight</code> or{" "}
          <code>ben@demo.spanlight</code> with the password <code>spanlight-demo</code>.
        </p>
      )}
    </main>
  );
}
