export { type ScaffoldResult, scaffoldAdapter } from "./scaffold.js";
export { initialChangeset, type ScaffoldOptions, scaffoldFiles } from "./templates.js";
