/** A problem with what the user asked for (an id, a package name, a folder); the CLI prints its message. */
export class ScaffoldError extends Error {
  override readonly name = "ScaffoldError";
}

// Stricter than core's id rule (no leading, trailing or doubled dashes) so that every id also
// gives a clean npm name and a valid TypeScript identifier.
const ADAPTER_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// npm's rules for a new package name: lower case, URL-safe characters, optional scope, at most 214 characters.
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

export function assertAdapterId(id: string): void {
  if (id.length > 64 || !ADAPTER_ID.test(id)) {
    throw new ScaffoldError(
      `adapter id "${id}" must be at most 64 lower-case letters and digits, in words joined by single dashes (e.g. acme-etsy)`,
    );
  }
}

/** The display name goes into string literals (escaped) and doc comments, where `*\/` or a line break would end them. */
export function assertDisplayName(name: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (name.trim() === "" || name.length > 100 || name.includes("*/") || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new ScaffoldError(`display name ${JSON.stringify(name)} must be 1-100 characters on one line, without "*/"`);
  }
}

export function assertPackageName(name: string): void {
  if (name.length > 214 || !PACKAGE_NAME.test(name)) {
    throw new ScaffoldError(`package name "${name}" is not a valid npm name (lower case, URL-safe, optionally @scope/name)`);
  }
}

/** The camel-case stem of generated names: `acme-etsy` → `acmeEtsy`; ids starting with a digit get a `marketplace` prefix. */
export function identifierStem(id: string): string {
  const [first = "", ...rest] = id.split("-");
  const stem = first + rest.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
  return /^[0-9]/.test(stem) ? `marketplace${stem.charAt(0).toUpperCase()}${stem.slice(1)}` : stem;
}

/** `acme-etsy` → `Acme Etsy`: the default display name. */
export function defaultDisplayName(id: string): string {
  return id
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}
