/**
 * A production run: N stations in parallel on one recipe, one journal and one log. Stations
 * share only the board count and the (synchronous, fsync'd) serial journal, so one station
 * failing, hanging on its own bounded polls or losing its probe never stops the others.
 */
import { BoardLog, type BoardRecord } from './board-log';
import type { Recipe } from './recipe';
import { SerialJournal, type JournalEntry } from './serial-journal';
import type { Station, StationEvent } from './station';

export interface ProductionRunOptions {
  recipe: Recipe;
  stations: Station[];
  /** Boards in all (pass + fail); undefined: one board per station, or unlimited when continuous. */
  count?: number;
  continuous?: boolean;
  signal?: AbortSignal;
  onEvent?: (e: StationEvent) => void;
}

export interface RunSummary {
  passed: number;
  failed: number;
  /** Failed boards by error code. */
  failedByCode: Record<string, number>;
  /** Boards per hour over the run: all boards ÷ the longest station's time (each on its probe's clock). */
  boardsPerHour: number;
  /** The longest station time, ms. */
  elapsedMs: number;
  records: BoardRecord[];
  /** Reservations a previous run left open, as this run settled them. */
  recovered: JournalEntry[];
  /** Stations that ended offline, with the reason. */
  offline: { station: string; code: string; message: string }[];
  /** Each station's boards and its own time (its probe's clock, which may be virtual). */
  stations: { station: string; boards: number; elapsedMs: number }[];
}

export async function runProduction(o: ProductionRunOptions): Promise<RunSummary> {
  const log = new BoardLog(o.recipe.logPath);
  const journal = new SerialJournal(o.recipe.journalPath, o.recipe.serial, (s) => log.outcomeOf(s));
  const stop = new AbortController();
  const onOuterAbort = (): void => stop.abort();
  o.signal?.addEventListener('abort', onOuterAbort);
  if (o.signal?.aborted) stop.abort();
  const limit = o.count ?? (o.continuous ? Infinity : o.stations.length);
  const perStationOnce = o.count === undefined && !o.continuous;
  let claimed = 0;
  const records: BoardRecord[] = [];
  const offline: RunSummary['offline'] = [];
  try {
    await Promise.all(
      o.stations.map((s) =>
        s.run({
          recipe: o.recipe,
          journal,
          log,
          signal: stop.signal,
          wantsBoards: () => claimed < limit && !(perStationOnce && s.boards > 0),
          claimBoard: () => {
            if (claimed >= limit || (perStationOnce && s.boards > 0)) return false;
            claimed++;
            return true;
          },
          emit: (e) => {
            if (e.record) records.push(e.record);
            if (e.state === 'offline') offline.push({ station: e.station, code: e.error?.code ?? 'offline', message: e.error?.message ?? '' });
            o.onEvent?.(e);
          },
        }),
      ),
    );
  } finally {
    o.signal?.removeEventListener('abort', onOuterAbort);
    journal.close();
    log.close();
  }
  const failedByCode: Record<string, number> = {};
  for (const r of records) if (r.result === 'fail') failedByCode[r.code ?? 'unknown'] = (failedByCode[r.code ?? 'unknown'] ?? 0) + 1;
  const stations = o.stations.map((s) => ({ station: s.name, boards: s.boards, elapsedMs: s.startedAt === null || s.endedAt === null ? 0 : s.endedAt - s.startedAt }));
  const elapsedMs = Math.max(0, ...stations.map((s) => s.elapsedMs));
  return {
    passed: records.filter((r) => r.result === 'pass').length,
    failed: records.filter((r) => r.result === 'fail').length,
    failedByCode,
    boardsPerHour: elapsedMs > 0 ? (records.length * 3_600_000) / elapsedMs : 0,
    elapsedMs,
    records,
    recovered: journal.recovered,
    offline,
    stations,
  };
}
