/**
 * A command's help names exactly the options it takes: an option it parses but does not
 * explain is invisible, and one it explains but does not parse is a usage error waiting.
 */
import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../../src/main/cli/registry';

/** Given before the command (src/main/cli/main.ts parseGlobals); help texts may name them. */
const GLOBAL_OPTIONS = new Set(['probe', 'part', 'virtual', 'sim-socket', 'json', 'connect-under-reset', 'help']);

describe('command help and declared options', () => {
  it('agree for every command that declares its options', async () => {
    const declaring = (await loadCommands()).filter((c) => c.options);
    expect(declaring.length).toBeGreaterThanOrEqual(12);
    for (const c of declaring) {
      const declared = new Set((c.options ?? []).map((o) => o.name));
      const explained = new Set([...c.usage.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]));
      for (const name of declared) expect(explained.has(name), `${c.name}: --${name} is parsed but not in its help`).toBe(true);
      for (const name of explained) {
        if (GLOBAL_OPTIONS.has(name)) continue;
        expect(declared.has(name), `${c.name}: its help names --${name}, which it does not take`).toBe(true);
      }
    }
  });
});
