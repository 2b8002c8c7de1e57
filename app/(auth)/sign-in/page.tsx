import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getPageUser } from "@/lib/server/auth/current-user";
import { isSignupOpen } from "@/lib/server/auth/users";

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
      <p className="muted">Trying it out? The demo accounts are listed in the README (password spanlight-demo).</p>
    </main>
  );
}
