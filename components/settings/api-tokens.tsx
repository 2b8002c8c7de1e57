"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/form-error";
import { callApi } from "@/lib/api-client";
import { createTokenSchema } from "@/lib/validation/auth";

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export function ApiTokens({ tokens }: { tokens: TokenRow[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const parsed = createTokenSchema.safeParse({ name: new FormData(formElement).get("name") });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "Check the form.");
    const result = await callApi<{ token: string }>("/api/tokens", { json: parsed.data });
    if (!result.ok) return setError(result.message);
    setError(null);
    setSecret(result.data.token);
    formElement.reset();
    router.refresh();
  }

  async function onRevoke(token: TokenRow) {
    const result = await callApi(`/api/tokens/${token.id}`, { method: "DELETE" });
    if (!result.ok) return setError(result.message);
    router.refresh();
  }

  return (
    <div className="stack">
      <form className="row card" onSubmit={onCreate} noValidate aria-label="New API token">
        <label>
          Token name
          <input name="name" required maxLength={100} placeholder="e.g. export script" />
        </label>
        <button type="submit">Create token</button>
      </form>
      <FormError message={error} />
      {secret && (
        <div className="notice" role="status">
          <p>Copy this token now; it will not be shown again. Send it as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
          <p className="token-secret" aria-label="New token">
            {secret}
          </p>
        </div>
      )}
      {tokens.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="muted">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>
                  <code>{token.prefix}…</code>
                </td>
                <td>{new Date(token.createdAt).toLocaleString()}</td>
                <td>{token.lastUsedAt ? new Date(token.lastUsedAt).toLocaleString() : "never"}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => onRevoke(token)} aria-label={`Revoke ${token.name}`}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
