/**
 * Sets `key` as an own data property. Plain assignment of `__proto__` would change the object's
 * prototype; input files decide keys, so every object built from them is written through this.
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
