"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/form-error";
import { callApi } from "@/lib/api-client";
import { addMemberSchema, memberRoles } from "@/lib/validation/project";

export function AddMemberForm({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setNotice(null);
    const parsed = addMemberSchema.safeParse({ email: form.get("email"), role: form.get("role") });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "Check the form.");
    setIsPending(true);
    const result = await callApi(`/api/projects/${projectId}/members`, { json: parsed.data });
    setIsPending(false);
    if (!result.ok) return setError(result.message);
    setError(null);
    setNotice(`Added ${parsed.data.email} as ${parsed.data.role}.`);
    formElement.reset();
    router.refresh();
  }

  return (
    <form className="row" onSubmit={onSubmit} noValidate aria-label="Add member">
      <label>
        Member email
        <input name="email" type="email" required />
      </label>
      <label>
        Role
        <select name="role" defaultValue="annotator">
          {memberRoles.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={isPending}>
        Add member
      </button>
      <FormError message={error} />
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
    </form>
  );
}
