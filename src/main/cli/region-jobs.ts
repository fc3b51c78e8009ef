import type { MemoryRegion } from '#shared/catalogue/types';
import type { JobOptions, TargetConnection } from '../jobs/index';
import type { CliCommand } from './command';
import { jobOptions, partName, requirePart, withConnection } from './connect';
import { defineCommand, type CommandContext } from './define-command';
import type { Output } from './output';
import { ProgressBar } from './progress';
import { eraseTargets } from './regions';

export type WholeRegion = MemoryRegion & { kind: 'flash' | 'eeprom' };

/** A command that runs one job on each whole region --region chose: erase and blank. */
export interface WholeRegionCommand<T> {
  name: string;
  summary: string;
  /** What the command does and its JSON; the usage line with --region comes first by itself. */
  explanation: readonly string[];
  job(conn: TargetConnection, region: WholeRegion, options: JobOptions): Promise<T>;
  /** Prints the results and returns the exit code. */
  report(out: Output, done: { region: WholeRegion; result: T }[]): number;
}

export function defineWholeRegionCommand<T>(c: WholeRegionCommand<T>): CliCommand {
  return defineCommand({
    name: c.name,
    summary: c.summary,
    usage: [`Usage: swim-studio --part PART ${c.name} [--region flash|eeprom|all]`, '', ...c.explanation],
    options: [{ name: 'region', short: 'r', value: true }],
    async run(ctx) {
      return c.report(ctx.out, await forEachChosenRegion(ctx, c.name, c.job));
    },
  });
}

/**
 * Runs one job on each region --region chose (default flash), in one connection, the
 * progress bar drawn afresh for each: what erase and blank have in common.
 */
async function forEachChosenRegion<T>(
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
