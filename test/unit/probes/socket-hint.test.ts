import { describe, expect, it } from 'vitest';
import { connectSocketProbe } from '../../../src/main/probes/socket';
import { parseServeArgs } from '../../../src/main/cli/commands/sim';
import { AppError } from '#shared/errors';

/** The command a "no virtual probe here" error tells people to run must be one that runs. */
describe('a socket with no virtual probe behind it', () => {
  it('says no-probe and suggests a sim serve command that parses, for that same path', async () => {
    const path = `/tmp/swim-no-server-${process.pid}.sock`;
    const e = await connectSocketProbe(path).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    expect(err.code).toBe('no-probe');
    const command = /"swim-studio sim serve ([^"]+)"/.exec(err.remedy ?? '')?.[1];
    expect(command).toBeDefined();
    const parsed = parseServeArgs((command as string).split(' '), { json: false });
    expect(parsed.socket).toBe(path);
    expect(parsed.probe).toBe('stlinkv3');
    expect(parsed.part).toBe('stm8s103f3');
  });
});
