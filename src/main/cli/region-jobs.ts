import type { MemoryRegion } from '#shared/catalogue/types';
import type { JobOptions, TargetConnection } from '../jobs/index';
import type { OptionSpec } from './args';
import { jobOptions, partName, requirePart, withConnection } from './connect';
import type { CommandContext } from './define-command';
import { ProgressBar } from './progress';
import { eraseTargets } from './regions';

/** `--region flash|eeprom|all`, the option of the commands that work on whole regions. */
export const WHOLE_REGION_OPTION: OptionSpec = { name: 'region', short: 'r', value: true };

export type WholeRegion = MemoryRegion & { kind: 'flash' | 'eeprom' };

/**
 * Runs one job on each region --region chose (default flash), in one connection, the
 * progress bar drawn afresh for each: what erase and blank have in common.
 */
export async function forEachChosenRegion<T>(
  { args, out, io, globals }: CommandContext,
  label: string,
  job: (conn: TargetConnection, region: WholeRegion, options: JobOptions) => Promise<T>,
): Promise<{ region: WholeRegion; result: T }[]> {
  const part = requirePart(partName(globals));
  const regions = eraseTargets(part, args.options.get('region') ?? 'flash');
  const bar = ProgressBar.for(io, out.json);
  return withConnection(globals, {}, async (conn) => {
    const results = [];
    for (const region of regions) {
      results.push({ region, result: await job(conn, region, jobOptions(io, bar, label)) });
      bar.finish();
    }
    return results;
  });
}
