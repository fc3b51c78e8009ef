/**
 * Issue 13 item 10: every documented error code and exit code against what the CLI really
 * returns. The lists in README.md and docs/cli.md are read from the files themselves, so a
 * code added to the CLI without the docs (or the other way round) fails here.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_TARGET_CODES, USAGE_CODES, exitCodeFor } from '../../src/main/cli/exit-codes';
import { maxImageDataBytes } from '#shared/image/data-limit';
import { cli, scratch } from '../unit/cli/helpers';
import { hexRecord } from '../unit/image/helpers';

const ROOT = join(__dirname, '..', '..');

/** The codes a document lists after "- exit N:", up to the next list item or blank line. */
function documentedCodes(file: string): Map<number, Set<string>> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const lists = new Map<number, Set<string>>();
  for (const m of text.matchAll(/^- exit (\d)[^:]*:([\s\S]*?)(?=^- exit |^\s*$)/gm)) {
    lists.set(Number(m[1]), new Set([...m[2].matchAll(/`([a-z0-9-]+)`/g)].map((c) => c[1])));
  }
  return lists;
}

const DOCS = ['README.md', 'docs/cli.md'];

describe('the documented code lists', () => {
  it.each(DOCS)('%s lists exactly the codes that exit 2 and 3, and the exit 1 codes exit 1', (file) => {
    const lists = documentedCodes(file);
    expect([...lists.keys()].sort()).toEqual([1, 2, 3]);
    expect([...lists.get(2)!].sort()).toEqual([...USAGE_CODES].sort());
    expect([...lists.get(3)!].sort()).toEqual([...NO_TARGET_CODES].sort());
    for (const code of lists.get(1)!) expect(exitCodeFor(code), code).toBe(1);
  });
});

describe('what the CLI returns, case by case', () => {
  const s = scratch();
  afterAll(() => s.cleanup());
  const file = (name: string, text: string | Uint8Array): string => {
    writeFileSync(s.path(name), text);
    return s.path(name);
  };
  const hex = (...records: string[]): string => [...records, hexRecord(1, 0), ''].join('\n');
  const V = ['--virtual', 'stlinkv3:stm8s103f3'];
  const documented = documentedCodes('docs/cli.md');
  const documentedExit = (code: string): number => (documented.get(2)!.has(code) ? 2 : documented.get(3)!.has(code) ? 3 : 1);

  const fw = file('fw.hex', hex(hexRecord(0, 0x8000, [1, 2, 3, 4])));
  const bin = file('x.bin', new Uint8Array(100));
  const readOnly = file('ro.hex', 'keep');
  chmodSync(readOnly, 0o444);

  // [what, argv, the code the CLI must answer with]
  const cases: [string, string[], string][] = [
    ['--address outside every memory (README: bad-address, exit 2)', [...V, 'write', bin, '--address', '0x1000000'], 'bad-address'],
    ['--address in no memory of this part', [...V, 'write', bin, '--address', '0x6000'], 'bad-address'],
    ['an unknown part', ['--part', 'stm8s999', 'write', fw], 'unknown-part'],
    ['no part at all', ['write', fw], 'part-required'],
    ['a region the part does not have', [...V, 'read', s.path('out.hex'), '--region', 'nowhere'], 'bad-region'],
    ['an unknown format', [...V, 'write', bin, '--format', 'foo'], 'unknown-format'],
    ['a missing argument', [...V, 'write'], 'usage'],
    ['an unknown option field', [...V, 'opt', 'set', 'NOPE=1'], 'unknown-option-field'],
    ['a field value out of range', [...V, 'opt', 'set', 'AFR0=7'], 'bad-option-value'],
    ['unlock without --yes', [...V, 'unlock'], 'confirm-required'],
    ['a malformed --virtual spec', ['--virtual', 'bogus', 'info'], 'bad-virtual-spec'],
    ['an unknown virtual probe', ['--virtual', 'stlinkv9:stm8s103f3', 'info'], 'bad-probe-variant'],
    ['an unknown fault', ['--virtual', 'stlinkv3:stm8s103f3:nosuchfault', 'info'], 'bad-fault'],
    ['a missing file', [...V, 'write', s.path('missing.hex')], 'file-not-found'],
    ['a folder', [...V, 'write', s.dir], 'file-read'],
    ['a device', [...V, 'write', '/dev/zero'], 'file-read'],
    ['a read-only file to read into', [...V, 'read', readOnly], 'file-access'],
    ['more data than any STM8 has', [...V, 'write', file('huge.bin', new Uint8Array(maxImageDataBytes() + 1))], 'file-too-large'],
    ['a corrupt file', [...V, 'write', file('bad.hex', ':02A000000102\n')], 'bad-file'],
    ['a file with no data', [...V, 'write', file('empty.hex', hex())], 'empty-image'],
    ['data outside the part', [...V, 'write', file('outside.hex', hex(hexRecord(0, 0xa000, [1])))], 'outside-memory'],
    ['option bytes given to write', [...V, 'write', file('opts.hex', hex(hexRecord(0, 0x4803, [0x00, 0xff])))], 'image-has-options'],
    ['a wrong complement in an option file', [...V, 'opt', 'write', file('badopt.hex', hex(hexRecord(0, 0x4803, [0x00, 0x00])))], 'bad-option-file'],
    ['a ROP value that would protect, unconfirmed', [...V, 'opt', 'set', 'ROP=0xAA'], 'confirm-required'],
    ['a dangerous field, unconfirmed', [...V, 'opt', 'set', 'UBC=1'], 'confirm-required'],
    ['reading a protected chip', ['--virtual', 'stlinkv3:stm8s103f3:rop', 'read', s.path('rop.hex')], 'read-protected'],
    ['a target without power', ['--virtual', 'stlinkv3:stm8s103f3:no-power', 'info'], 'target-not-powered'],
    ['a probe held by another program', ['--virtual', 'stlinkv3:stm8s103f3:busy', 'info'], 'probe-busy'],
  ];

  it.each(cases)('%s', async (_what, argv, code) => {
    const run = await cli('--json', ...argv);
    const doc = run.json() as { error?: { code: string; message: string } };
    expect(doc.error?.code).toBe(code);
    expect(doc.error?.message.length).toBeGreaterThan(10);
    expect(run.code).toBe(documentedExit(code));
  });

  it('a read-only file stays untouched', () => {
    expect(readFileSync(readOnly, 'utf8')).toBe('keep');
  });
});
