#!/usr/bin/env -S node --max-semi-space-size=4
// The `zhicheng` command: runs the TypeScript sources through tsx (no build step). A small young
// generation keeps a 100,000-line `check --batch` both faster and under 200 MB (see `npm run bench`).
import { register } from "tsx/esm/api";

register();
const { run } = await import("../src/main.ts");
process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
