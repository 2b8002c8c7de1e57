import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/server/pages";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requirePageUser();
  return (
    <main className="stack">
      <h1>Account</h1>
      <dl className="meta card">
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
      </dl>
      <section aria-labelledby="password-heading" className="stack">
        <h2 id="password-heading">Change password</h2>
        <p className="muted">
          Changing your password signs you out everywhere else: every other browser has to sign in again. Scripts keep
          their <Link href="/settings/tokens">API tokens</Link> unless you revoke them below.
        </p>
        <div className="card">
          <ChangePasswordForm />
        </div>
      </section>
    </main>
  );
}
