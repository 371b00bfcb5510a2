import { useEffect, useState } from 'react';

// Who is at the console (issue 18): the name the operator gives, kept on this computer, else the
// OS user the server reports. Every alarm action is journaled under it.

const KEY = 'pumpdeck.operator';
const listeners = new Set<(name: string) => void>();

export function savedOperator(): string {
  return localStorage.getItem(KEY)?.trim() ?? '';
}

export function setOperator(name: string): void {
  const trimmed = name.trim().slice(0, 60);
  if (trimmed) localStorage.setItem(KEY, trimmed);
  else localStorage.removeItem(KEY);
  for (const listener of listeners) listener(trimmed);
}

/** The operator's name, or '' when none is set (the server then journals the OS user). */
export function useOperator(): string {
  const [name, setName] = useState(savedOperator);
  useEffect(() => {
    listeners.add(setName);
    return () => {
      listeners.delete(setName);
    };
  }, []);
  return name;
}
