// Values the engine shares between reports: deep-frozen once and registered, so a serialiser may cache
// their JSON by identity (a registered value can never change, so its cached JSON can never go stale).
const registered = new WeakSet<object>();

/** Deep-freezes `value` (plain objects and arrays) and registers it as immutable; returns it. */
export function markImmutable<T extends object>(value: T): T {
  if (registered.has(value)) return value;
  for (const v of Object.values(value)) if (v !== null && typeof v === "object") markImmutable(v as object);
  Object.freeze(value);
  registered.add(value);
  return value;
}

/** True when `value` went through `markImmutable` (so it and everything it holds is frozen). */
export function isImmutable(value: unknown): value is object {
  return value !== null && typeof value === "object" && registered.has(value);
}
