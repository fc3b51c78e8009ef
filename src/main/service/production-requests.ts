/**
 * Production requests (docs/production.md): open a recipe and show what it will do, start it
 * on stations, stop it. The run goes straight to src/main/production (the engine's own
 * TargetConnection per station); its progress goes out as productionStation /
 * productionRecord / productionTotals events. A production run and the connection of the
 * Flash tab are independent: stations open their own probes.
 */
import { AppError } from '#shared/errors';
import type { ProductionTotals } from '#shared/production';
import { loadRecipe, type Recipe } from '../production/recipe';
import { previewRecipe } from '../production/recipe-preview';
import { runProduction, type RunSummary } from '../production/runner';
import { buildStations } from '../production/station-specs';
import type { PathGuard } from './file-requests';
import type { Handlers, ServiceContext } from './service-context';

type ProductionHandlers = Pick<Handlers, 'productionOpenRecipe' | 'productionStart' | 'productionStop'>;

function totalsOf(s: Pick<RunSummary, 'passed' | 'failed' | 'failedByCode' | 'boardsPerHour'>, running: boolean): ProductionTotals {
  return { running, passed: s.passed, failed: s.failed, failedByCode: { ...s.failedByCode }, boardsPerHour: s.boardsPerHour };
}

export function productionRequests(c: ServiceContext, paths: PathGuard): ProductionHandlers {
  let recipe: Recipe | null = null;
  let run: { stop: AbortController; done: Promise<void> } | null = null;
  let totals: ProductionTotals = { running: false, passed: 0, failed: 0, failedByCode: {}, boardsPerHour: 0 };

  return {
    async productionOpenRecipe({ path }) {
      paths.check(path);
      if (run) throw new AppError('busy', 'A production run is going on.', 'Stop it before opening another recipe.');
      recipe = await loadRecipe(path);
      return previewRecipe(recipe);
    },

    async productionStart({ stations: specs, count, continuous }) {
      if (!recipe) throw new AppError('no-recipe', 'No recipe is open.', 'Open a recipe first.');
      if (run) throw new AppError('busy', 'A production run is going on.', 'Stop it first.');
      const usb = specs.filter((s) => s.startsWith('usb:')).map((s) => s.slice(4));
      const stations = await buildStations({
        ...(usb.length ? { probes: usb.includes('all') ? 'all' : usb.join(',') } : {}),
        stations: specs.filter((s) => !s.startsWith('usb:')),
        part: recipe.part.name,
      });
      const stop = new AbortController();
      const live = { passed: 0, failed: 0, failedByCode: {} as Record<string, number>, boardsPerHour: 0 };
      totals = totalsOf(live, true);
      c.events.emit('productionTotals', totals);
      const r = recipe;
      const done = runProduction({
        recipe: r,
        stations,
        ...(count !== undefined ? { count } : {}),
        continuous: continuous ?? false,
        signal: stop.signal,
        onEvent: (e) => {
          const rec = e.record;
          c.events.emit('productionStation', {
            station: e.station,
            state: e.state,
            ...(e.progress ? { percent: Math.round(e.progress.percent), phase: e.progress.phase } : {}),
            ...(rec ? { serial: rec.serial === null ? null : String(rec.serial) } : {}),
            ...(e.error ? { code: e.error.code, message: e.error.message, ...(e.error.remedy ? { remedy: e.error.remedy } : {}) } : {}),
          });
          if (rec) {
            c.events.emit('productionRecord', { time: rec.time, station: rec.station, uid: rec.uid, serial: rec.serial === null ? null : String(rec.serial), result: rec.result, code: rec.code, durationMs: rec.durationMs });
            if (rec.result === 'pass') live.passed++;
            else {
              live.failed++;
              live.failedByCode[rec.code ?? 'unknown'] = (live.failedByCode[rec.code ?? 'unknown'] ?? 0) + 1;
            }
            c.log.add(rec.result === 'pass' ? 'info' : 'error', `${rec.station}: board ${rec.result}${rec.serial !== null ? `, serial ${rec.serial}` : ''}${rec.code ? ` (${rec.code})` : ''}`);
            totals = totalsOf(live, true);
            c.events.emit('productionTotals', totals);
          }
        },
      }).then(
        (s) => {
          totals = totalsOf(s, false);
        },
        (e: unknown) => {
          totals = { ...totals, running: false };
          c.log.add('error', `Production run ended: ${(e as Error).message}`);
        },
      ).finally(() => {
        run = null;
        c.events.emit('productionTotals', totals);
      });
      run = { stop, done };
      return totals;
    },

    async productionStop() {
      if (run) {
        run.stop.abort();
        await run.done;
      }
      return totals;
    },
  };
}
