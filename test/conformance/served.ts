/**
 * One conformance scenario: serve a virtual probe (`swim-studio sim serve`), run OpenOCD
 * against it one or more times in a row, stop the server (always, so the state file gets
 * written), and hand back both ends with one text that explains a failure.
 */
import { runOpenOcd, type OpenOcdResult, type RunOpenOcdOptions } from './openocd-runner';
import { startSimServer, type SimServerExit, type SimServerOptions } from './sim-process';

/** Bound on one OpenOCD run (it is killed after this). */
export const RUN_TIMEOUT_MS = 60_000;
/**
 * Bound on one scenario (server starts, up to a few OpenOCD runs). Generous because the runs
 * share a loaded machine with the rest of the suite; every step inside is bounded on its own.
 */
export const SCENARIO_TIMEOUT_MS = 240_000;

export interface Served {
  /** One result per OpenOCD run, in order. */
  runs: OpenOcdResult[];
  /** The first run (most scenarios have one). */
  run: OpenOcdResult;
  exit: SimServerExit;
  /** Every command line, exit status and output, plus the server's log: the failure message. */
  why: string;
}

/** Everything a failing run needs to be understood, in one string. */
export function explain(r: OpenOcdResult): string {
  return `$ openocd ${r.args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}\nexit ${r.exitCode} signal ${r.signal} timedOut ${r.timedOut} after ${Math.round(r.wallMs)} ms\n${r.output}`;
}

/**
 * @param whileServing runs after the server is up and before OpenOCD starts (e.g. to hold the
 *   probe with another client); returns what to undo once OpenOCD has finished.
 */
export async function openOcdAgainst(
  server: SimServerOptions,
  openocd: Omit<RunOpenOcdOptions, 'socketPath'> | Omit<RunOpenOcdOptions, 'socketPath'>[],
  whileServing?: (socketPath: string) => Promise<() => void>,
): Promise<Served> {
  const sim = await startSimServer(server);
  const runs: OpenOcdResult[] = [];
  try {
    const release = whileServing ? await whileServing(sim.socketPath) : undefined;
    try {
      for (const o of Array.isArray(openocd) ? openocd : [openocd]) {
        runs.push(await runOpenOcd({ timeoutMs: RUN_TIMEOUT_MS, ...o, socketPath: sim.socketPath }));
      }
    } finally {
      release?.();
    }
  } catch (e) {
    const exit = await sim.stop();
    throw new Error(`${(e as Error).message}\n--- server ---\n${exit.stdout}${exit.stderr}`, { cause: e });
  }
  const exit = await sim.stop();
  const why = [...runs.map(explain), `--- server exit ${exit.exitCode} ---\n${exit.stdout}${exit.stderr}`].join('\n');
  return { runs, run: runs[0], exit, why };
}
