import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { requirePageUser } from "@/lib/server/pages";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <>
      <header className="site-header">
        <Link href="/projects" className="brand">
          Spanlight
        </Link>
        <nav aria-label="Main">
          <Link href="/projects">Projects</Link>
          <Link href="/settings/tokens">API tokens</Link>
          <Link href="/account">Account</Link>
          <span className="muted" title={user.email}>
            {user.name}
          </span>
          <SignOutButton />
        </nav>
      </header>
      {children}
    </>
  );
}
