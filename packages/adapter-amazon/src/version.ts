// tsup.config.ts and vitest.config.ts define __ADAPTER_VERSION__ as this package's version, read
// from package.json at build time. Importing package.json here instead would make the bundle
// carry all of it (scripts, dev tools, unpublished dependency ranges), not just the version.
declare const __ADAPTER_VERSION__: string;

export const version: string = __ADAPTER_VERSION__;
