import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { isSignupOpen } from "@/lib/server/auth/users";

export const metadata: Metadata = { title: "Create an account" };

export default function SignUpPage() {
  return (
    <main className="auth-page">
      <h1>Create an account</h1>
      <div className="card">
        {isSignupOpen() ? (
          <SignUpForm />
        ) : (
          <p role="status">Sign-up is closed on this server. Ask a project owner to create your account.</p>
        )}
      </div>
      <p className="muted">
        Have an account? <Link href="/sign-in">Sign in</Link>.
      </p>
    </main>
  );
}
