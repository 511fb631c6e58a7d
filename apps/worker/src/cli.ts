#!/usr/bin/env node
import pkg from "../package.json" with { type: "json" };
import { runCli } from "./cli/program.js";

// serve keeps running after runCli resolves; every other command ends here.
const code = await runCli(process.argv, pkg.version);
if (code !== 0) process.exitCode = code;
