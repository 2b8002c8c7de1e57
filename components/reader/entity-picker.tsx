"use client";

import { useId, useMemo, useState, type KeyboardEvent } from "react";
import type { ClientEntity, EntityChoice } from "./types";

interface Option {
  key: string;
  label: string;
  choice: EntityChoice;
}

/** Type-ahead over the project's canonical entities of one type (names and aliases), or create a new one. */
export function EntityPicker({
  type,
  quote,
  entities,
  onPick,
  onCancel,
}: {
  type: string;
  quote: string;
  entities: ClientEntity[];
  onPick: (choice: EntityChoice) => void;
  onCancel: () => void;
}) {
  const [query, setQuery] = useState(quote);
  const [active, setActive] = useState(0);
  const listId = useId();
  const options = useMemo<Option[]>(() => {
    const needle = query.trim().toLowerCase();
    const matches = entities
      .filter((entity) => entity.type === type)
      .map((entity) => {
        const names = [entity.name, ...entity.aliases].map((name) => name.toLowerCase());
        const rank = names.includes(needle) ? 0 : names.some((name) => name.includes(needle) || (needle && needle.includes(name))) ? 1 : 2;
        return { entity, rank };
      })
      .filter(({ rank }) => rank < 2 || !needle)
      .sort((a, b) => a.rank - b.rank || a.entity.name.localeCompare(b.entity.name))
      .slice(0, 8)
      .map(({ entity }) => ({
        key: entity.id,
        label: entity.aliases.length ? `${entity.name} (${entity.aliases.join(", ")})` : entity.name,
        choice: { entityId: entity.id },
      }));
    const hasExact = matches.length > 0 && entities.some((e) => e.type === type && [e.name, ...e.aliases].some((n) => n.toLowerCase() === needle));
    const create: Option[] = query.trim() && !hasExact ? [{ key: "new", label: `Create new ${type} “${query.trim()}”`, choice: { entityType: type, entityName: query.trim() } }] : [];
    return hasExact ? [...matches, ...create] : [...create, ...matches];
  }, [entities, query, type]);

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") setActive((index) => Math.min(index + 1, options.length - 1));
    else if (event.key === "ArrowUp") setActive((index) => Math.max(index - 1, 0));
    else if (event.key === "Enter") {
      const option = options[Math.min(active, options.length - 1)];
      if (option) onPick(option.choice);
    } else if (event.key === "Escape") onCancel();
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  return (
    <div className="entity-picker">
      <label>
        {type} entity
        <input
          autoFocus
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={options[active] ? `${listId}-${active}` : undefined}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
      </label>
      <ul id={listId} role="listbox" aria-label={`${type} entities`}>
        {options.map((option, index) => (
          <li
            key={option.key}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            onMouseDown={(event) => {
              event.preventDefault();
              onPick(option.choice);
            }}
          >
            {option.label}
          </li>
        ))}
      </ul>
      <p className="muted small">Enter picks, ↑↓ move, Esc cancels.</p>
    </div>
  );
}
