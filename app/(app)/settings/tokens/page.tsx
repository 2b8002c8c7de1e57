import type { Metadata } from "next";
import { ApiTokens } from "@/components/settings/api-tokens";
import { listApiTokens } from "@/lib/server/auth/api-tokens";
import { requirePageUser } from "@/lib/server/pages";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const user = await requirePageUser();
  const tokens = await listApiTokens({ userId: user.id });
  return (
    <main>
      <h1>Personal API tokens</h1>
      <p className="muted">Scripts use a token to call the API as you, with your permissions.</p>
      <ApiTokens tokens={tokens.map((token) => ({ ...token, createdAt: token.createdAt.toISOString(), lastUsedAt: token.lastUsedAt?.toISOString() ?? null }))} />
    </main>
  );
}
