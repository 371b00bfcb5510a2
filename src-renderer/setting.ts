import { useEffect, useState } from 'react';

// A setting kept on this computer (localStorage) that every component reading it follows at once:
// the operator's name, the clock.

export interface Setting<T> {
  get(): T;
  set(value: T): void;
  /** The value, re-rendering when it is set anywhere. */
  use(): T;
}

export function localSetting<T>(key: string, read: (saved: string | null) => T, write: (value: T) => string | null) {
  const listeners = new Set<(value: T) => void>();
  const setting: Setting<T> = {
    get: () => read(localStorage.getItem(key)),
    set: (value) => {
      const text = write(value);
      if (text === null) localStorage.removeItem(key);
      else localStorage.setItem(key, text);
      const stored = setting.get();
      for (const listener of listeners) listener(stored);
    },
    use: () => {
      const [value, setValue] = useState(setting.get);
      useEffect(() => {
        listeners.add(setValue);
        return () => {
          listeners.delete(setValue);
        };
      }, []);
      return value;
    },
  };
  return setting;
}
