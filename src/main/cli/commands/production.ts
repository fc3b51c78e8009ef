import { defineCommand } from '../define-command';
import { EXIT } from '../command';
import { usageError, requirePositional } from '../args';
import { writeFileAtomic } from '../../files/atomic-write';
import { BoardLog, recordsToCsv } from '../../production/board-log';
import { loadRecipe } from '../../production/recipe';
import { runProduction } from '../../production/runner';
import { buildStations } from '../../production/station-specs';
import { stationLine, summaryLines } from '../../production/status-words';

/** `swim-studio production RECIPE`: program boards on several stations with a serial each (docs/production.md). */
export const command = defineCommand({
  name: 'production',
  summary: 'program boards on one or more probes from a recipe, a serial number per chip, with a log',
  usage: [
    'Usage: swim-studio production RECIPE [--probes all|SERIAL,...] [--station SPEC]... [--count N] [--continuous]',
    '',
    '  --probes all|LIST    one station per attached ST-LINK (or per listed serial / port path)',
    '  --station SPEC       virtual:PROBE:PART[:FAULT,...] or socket:PATH (repeatable)',
    '  --count N            stop after N boards in all (passed + failed)',
    '  --continuous         keep going board after board until Ctrl+C (or --count)',
    '  --export-csv FILE    write the recipe\'s log as CSV to FILE and stop (no probe is touched)',
    'Without --count or --continuous each station programs one board.',
    'The recipe, the log and the serial journal are described in docs/production.md.',
    '',
    'JSON: {"production":{"passed","failed","failedByCode","boardsPerHour","elapsedMs","offline","stations","records"}}',
  ],
  options: [{ name: 'probes', value: true }, { name: 'station', value: true, repeat: true }, { name: 'count', value: true }, { name: 'continuous' }, { name: 'export-csv', value: true }],
  maxPositionals: 1,
  async run({ args, out, io }) {
    const recipePath = requirePositional(args, 'give the recipe file');
    const countText = args.options.get('count');
    const count = countText === undefined ? undefined : Number(countText);
    if (count !== undefined && (!Number.isSafeInteger(count) || count < 1)) throw usageError(`--count ${countText} is not a positive whole number`);
    const recipe = await loadRecipe(recipePath);
    const csv = args.options.get('export-csv');
    if (csv !== undefined) {
      const log = new BoardLog(recipe.logPath);
      await writeFileAtomic(csv, new TextEncoder().encode(recordsToCsv(log.previous)));
      out.result({ exported: { file: csv, records: log.previous.length } });
      out.line(`${log.previous.length} records of ${recipe.logPath} written to ${csv}.`);
      return EXIT.ok;
    }
    const stations = await buildStations({ probes: args.options.get('probes') ?? (args.lists.get('station')?.length ? undefined : 'all'), stations: args.lists.get('station') ?? [], part: recipe.part.name });
    const summary = await runProduction({
      recipe,
      stations,
      count,
      continuous: args.options.has('continuous'),
      signal: io.signal,
      onEvent: (e) => {
        const line = stationLine(e);
        if (line) out.line(line);
      },
    });
    const { records, recovered: _recovered, offline, ...totals } = summary;
    out.result({ production: { ...totals, offline, records } });
    for (const l of summaryLines(summary)) out.line(l);
    return summary.failed === 0 && summary.passed > 0 ? EXIT.ok : EXIT.failed;
  },
});
