/**
 * The `swim-studio` process: runs the command line with the process's arguments and exits
 * with its code. The entry point of the built CLI (out/cli/swim-studio.mjs, see
 * scripts/build-cli.mjs) and of bin/swim-studio.mjs's development fallback through tsx.
 */
import { runCli } from './main';
import { stopWhenNpmWrapperEnds } from './npm-wrapper';

stopWhenNpmWrapperEnds();
process.exitCode = await runCli(process.argv.slice(2));
