export { assertAdapterId, assertDisplayName, assertPackageName, defaultDisplayName, identifierStem, ScaffoldError } from "./names.js";
export { type ScaffoldResult, scaffoldAdapter } from "./scaffold.js";
export { initialChangeset, type ScaffoldOptions, scaffoldFiles } from "./templates/index.js";
