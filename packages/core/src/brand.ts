/**
 * `instanceof` for restock's error classes that holds across copies of `@restock/core`: its ESM
 * and CJS builds each define their own classes, and a host that `require`s core while an adapter
 * `import`s it (or the reverse) sees errors thrown by the other copy. Each class marks its
 * instances with a `Symbol.for("restock.<ErrorName>")` brand (the same symbol in every copy:
 * `Symbol.for` keys are process-wide) and checks that brand in `static [Symbol.hasInstance]`.
 */

type Class = abstract new (...args: never[]) => object;

/** Marks every instance of `base` (and of its subclasses) with `brand`, on `base`'s prototype. */
export function setBrand(base: Class, brand: symbol): void {
  Object.defineProperty(base.prototype, brand, { value: true });
}

/**
 * `value instanceof self` for a class whose `static [Symbol.hasInstance]` calls this. For the
 * branded class itself, any value that carries the brand. A subclass inherits the static method
 * but not the brand as its prototype's own: for it, the ordinary prototype-chain check, so an
 * instance of the base is not an instance of the subclass.
 */
export function hasBrand(self: Class, brand: symbol, value: unknown): boolean {
  if (!Object.hasOwn(self.prototype, brand)) return Function.prototype[Symbol.hasInstance].call(self, value);
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
