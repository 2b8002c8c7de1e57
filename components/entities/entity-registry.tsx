"use client";

import { useCallback, useEffect, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/form-error";
import { callApi } from "@/lib/api-client";
import type { ClientEntity } from "@/components/reader/types";

/** The project's canonical entities: mention counts, rename, aliases, type, merge. */
export function EntityRegistry({ projectId, entityTypes }: { projectId: string; entityTypes: string[] }) {
  const [entities, setEntities] = useState<ClientEntity[] | null>(null);
  const [query, setQuery] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);

  const load = useCallback(async () => {
    const result = await callApi<{ entities: ClientEntity[] }>(`/api/projects/${projectId}/entities`);
    if (result.ok) setEntities(result.data.entities);
    else setError(result.message);
  }, [projectId]);

  useEffect(() => {
    void load();
  }, [load]);

  async function save(entity: ClientEntity, event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const aliases = String(form.get("aliases") ?? "")
      .split(",")
      .map((alias) => alias.trim())
      .filter(Boolean);
    const result = await callApi(`/api/entities/${entity.id}`, {
      method: "PATCH",
      json: { name: String(form.get("name") ?? "").trim(), type: form.get("type"), aliases },
    });
    if (!result.ok) return setError(result.message);
    setError(null);
    setEditingId(null);
    setNotice(`Saved ${String(form.get("name"))}.`);
    await load();
  }

  async function merge(entity: ClientEntity, event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const intoEntityId = String(new FormData(event.currentTarget).get("into") ?? "");
    const into = entities?.find((candidate) => candidate.id === intoEntityId);
    if (!into) return setError("Choose the entity to merge into.");
    const result = await callApi(`/api/entities/${entity.id}/merge`, { json: { intoEntityId } });
    if (!result.ok) return setError(result.message);
    setError(null);
    setEditingId(null);
    setNotice(`Merged ${entity.name} into ${into.name}: its mentions and stances now point to ${into.name}.`);
    await load();
  }

  if (!entities) return <p className="muted">{error ?? "Loading entities…"}</p>;
  const needle = query.trim().toLowerCase();
  const shown = entities.filter((entity) => !needle || [entity.name, ...entity.aliases].some((name) => name.toLowerCase().includes(needle)));

  return (
    <div className="stack">
      <label>
        Find an entity (name or alias)
        <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
      </label>
      <FormError message={error} />
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Entity</th>
            <th scope="col">Type</th>
            <th scope="col">Aliases</th>
            <th scope="col">Mentions</th>
            <th scope="col">
              <span className="muted">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((entity) =>
            editingId === entity.id ? (
              <tr key={entity.id}>
                <td colSpan={5}>
                  <form className="row" onSubmit={(event) => save(entity, event)} aria-label={`Edit ${entity.name}`}>
                    <label>
                      Name
                      <input name="name" defaultValue={entity.name} required />
                    </label>
                    <label>
                      Type
                      <select name="type" defaultValue={entity.type}>
                        {entityTypes.map((type) => (
                          <option key={type}>{type}</option>
                        ))}
                      </select>
                    </label>
                    <label>
                      Aliases (comma-separated)
                      <input name="aliases" defaultValue={entity.aliases.join(", ")} />
                    </label>
                    <button type="submit">Save</button>
                    <button type="button" className="link" onClick={() => setEditingId(null)}>
                      Cancel
                    </button>
                  </form>
                  <form className="row" onSubmit={(event) => merge(entity, event)} aria-label={`Merge ${entity.name}`}>
                    <label>
                      Merge into
                      <select name="into" defaultValue="">
                        <option value="">Choose…</option>
                        {entities
                          .filter((candidate) => candidate.id !== entity.id)
                          .map((candidate) => (
                            <option key={candidate.id} value={candidate.id}>
                              {candidate.name} ({candidate.type})
                            </option>
                          ))}
                      </select>
                    </label>
                    <button type="submit" className="secondary">
                      Merge
                    </button>
                  </form>
                </td>
              </tr>
            ) : (
              <tr key={entity.id}>
                <td>{entity.name}</td>
                <td>{entity.type}</td>
                <td>{entity.aliases.join(", ") || <span className="muted">—</span>}</td>
                <td>{entity.mentionCount ?? 0}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => setEditingId(entity.id)} aria-label={`Edit ${entity.name}`}>
                    Edit
                  </button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
