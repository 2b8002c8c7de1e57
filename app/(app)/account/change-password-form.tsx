"use client";

import { useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/form-error";
import { callApi } from "@/lib/api-client";
import { changePasswordSchema, type ChangePasswordResult } from "@/lib/validation/auth";

function describe(result: ChangePasswordResult): string {
  const others = Math.max(0, result.endedSessions - 1);
  const sessions = others === 1 ? "1 other session was" : `${others} other sessions were`;
  const tokens = result.revokedApiTokens ? ` ${result.revokedApiTokens} API token${result.revokedApiTokens === 1 ? " was" : "s were"} revoked.` : "";
  return `Your password was changed. ${sessions} signed out.${tokens}`;
}

export function ChangePasswordForm() {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setDone(null);
    if (form.get("newPassword") !== form.get("confirmPassword")) {
      setError("The new password and its confirmation differ. Type the same new password twice.");
      return;
    }
    const parsed = changePasswordSchema.safeParse({
      currentPassword: form.get("currentPassword"),
      newPassword: form.get("newPassword"),
      revokeApiTokens: form.get("revokeApiTokens") === "on",
    });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Check the form.");
      return;
    }
    setIsPending(true);
    const result = await callApi<ChangePasswordResult>("/api/auth/password", { json: parsed.data });
    setIsPending(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setError(null);
    setDone(describe(result.data));
    formElement.reset();
  }

  return (
    <form className="stack" method="post" onSubmit={onSubmit} noValidate aria-label="Change password">
      <label>
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <label>
        New password (at least 10 characters)
        <input name="newPassword" type="password" autoComplete="new-password" required minLength={10} />
      </label>
      <label>
        Confirm new password
        <input name="confirmPassword" type="password" autoComplete="new-password" required minLength={10} />
      </label>
      <label className="inline">
        <input name="revokeApiTokens" type="checkbox" />
        Also revoke all my API tokens
      </label>
      <FormError message={error} />
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      <button type="submit" disabled={isPending}>
        {isPending ? "Changing password…" : "Change password"}
      </button>
    </form>
  );
}
