"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/form-error";
import { callApi } from "@/lib/api-client";
import { createProjectSchema } from "@/lib/validation/project";

export function CreateProjectForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = createProjectSchema.safeParse({ name: new FormData(event.currentTarget).get("name") });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "Check the form.");
    setIsPending(true);
    const result = await callApi<{ id: string }>("/api/projects", { json: parsed.data });
    setIsPending(false);
    if (!result.ok) return setError(result.message);
    router.push(`/projects/${result.data.id}`);
  }

  return (
    <form className="row" onSubmit={onSubmit} noValidate aria-label="New project">
      <label>
        Project name
        <input name="name" required maxLength={200} />
      </label>
      <button type="submit" disabled={isPending}>
        Create project
      </button>
      <FormError message={error} />
    </form>
  );
}
