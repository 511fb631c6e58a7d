/** What the user chose; every template is a function of it. */
export interface ScaffoldOptions {
  /** Adapter id and marketplace name: lower-case words joined by single dashes. */
  id: string;
  displayName: string;
  /** npm package name, e.g. `@restock/adapter-etsy` or `@acme/restock-adapter-etsy`. */
  packageName: string;
  /** Inside the restock monorepo: workspace and catalog versions, the shared tsconfig, the root .changeset folder. */
  workspace: boolean;
  /** Semver range of @restock/core a package outside the monorepo depends on, e.g. `^0.2.0`. */
  coreRange: string;
}

/** A JSON file's text as the repository formats it. */
export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
