"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { callApi } from "@/lib/api-client";
import { FormError } from "@/components/ui/form-error";
import { signupSchema } from "@/lib/validation/auth";

export function SignUpForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signupSchema.safeParse({ name: form.get("name"), email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Check the form.");
      return;
    }
    setIsPending(true);
    const result = await callApi("/api/auth/signup", { json: parsed.data });
    setIsPending(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    router.replace("/projects");
    router.refresh();
  }

  return (
    <form className="stack" method="post" onSubmit={onSubmit} noValidate>
      <label>
        Name
        <input name="name" autoComplete="name" required autoFocus />
      </label>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password (at least 10 characters)
        <input name="password" type="password" autoComplete="new-password" required minLength={10} />
      </label>
      <FormError message={error} />
      <button type="submit" disabled={isPending}>
        {isPending ? "Creating account…" : "Create account"}
      </button>
    </form>
  );
}
