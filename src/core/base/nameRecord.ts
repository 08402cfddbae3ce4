/**
 * Records keyed by names someone chose (profile names, workspace ids). On a plain `{}`, the key
 * `__proto__` does not make an entry: assigning it replaces the object's prototype, so the entry
 * is lost, and `constructor` or `toString` read as present before anything is stored. A record
 * with no prototype has none of these: every name is only a key.
 */

export type NameRecord<T> = Readonly<Record<string, T>>;

/** A record with no prototype holding `entries`; later entries replace earlier ones. */
export function nameRecord<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [name, value] of entries) {
    record[name] = value;
  }
  return record;
}

/**
 * A stored record read leniently: each own entry of `raw` through `readEntry`, which returns
 * undefined (or throws) for an entry it cannot read; that entry is left out, so one bad entry
 * never stops the others. Anything but an object reads as empty.
 */
export function readNameRecord<T>(raw: unknown, readEntry: (value: unknown, name: string) => T | undefined): Record<string, T> {
  const record = nameRecord<T>();
  if (typeof raw !== 'object' || raw === null) {
    return record;
  }
  for (const [name, value] of Object.entries(raw)) {
    let entry: T | undefined;
    try {
      entry = readEntry(value, name);
    } catch {
      continue;
    }
    if (entry !== undefined) {
      record[name] = entry;
    }
  }
  return record;
}

/** `record` without the keys that name `name`: profile names are unique ignoring case. */
export function withoutName<T>(record: NameRecord<T> | undefined, name: string): Record<string, T> {
  const key = name.toLowerCase();
  return nameRecord(Object.entries(record ?? {}).filter(([other]) => other.toLowerCase() !== key));
}
