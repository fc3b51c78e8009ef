#!/usr/bin/env node
// Launcher for the `swim-studio` command in a checkout: runs the TypeScript CLI through tsx,
// so `npx swim-studio --help` works right after `npm install`, without a build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

register();
const here = dirname(fileURLToPath(import.meta.url));
const { runCli } = await import(join(here, '..', 'src', 'main', 'cli', 'main.ts'));
process.exitCode = await runCli(process.argv.slice(2));
