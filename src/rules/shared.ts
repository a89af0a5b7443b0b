/**
 * Parts of an answer that the engine reuses between answers: clauses, parameter entries as
 * reported, explanation lines whose text does not depend on the family. They are deeply frozen,
 * so a writer may encode each once and reuse the bytes (see the calculator route's JSON writer).
 */

const SHARED = new WeakSet<object>();

function deeplyFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (!Object.isFrozen(v)) return false;
  for (const x of Object.values(v)) if (!deeplyFrozen(x)) return false;
  return true;
}

/**
 * Mark `o` shared if it and everything in it is frozen. Objects holding something mutable (from
 * a hand-made parameter set, say) are left unmarked: they are still correct, just not reused.
 */
export function markShared<T extends object>(o: T): T {
  if (deeplyFrozen(o)) SHARED.add(o);
  return o;
}

/** Freeze an object the engine made (one level) and mark it shared if its contents are frozen. */
export function share<T extends object>(o: T): T {
  return markShared(Object.freeze(o));
}

/** Whether `o` is a deeply frozen part the engine reuses between answers. */
export function isShared(o: object): boolean {
  return SHARED.has(o);
}
