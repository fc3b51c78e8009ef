/**
 * `npm run bench`: speed of the engine against the physical floor (docs/spec/simulator.md §5), on
 * the virtual probe with the virtual clock, one line per case:
 *   RESULT case=NAME engine_ms=N floor_ms=N ratio=R
 * Targets (the issue): ratio ≤ 1.25 for full writes on stlinkv3, ≤ 1.6 on stlinkv2, an
 * unchanged re-flash ≤ 1.1 × the read-only floor. A DETAIL line after each says where the
 * time goes (USB transfers, status polls, blocks by mode).
 * A PHASES line says how the job's time splits (phases.ts). Then, on the wall clock, OpenOCD
 * against the CLI on the same served virtual probe and the same used STM8S103, V3 and V2
 * (openocd-case.ts), as whole processes and as the write + verify job alone:
 *   RESULT case=vs-openocd-v3 process_engine_ms=N process_openocd_ms=N process_ratio=R
 *          job_engine_ms=N job_openocd_ms=N job_ratio=R       (or SKIP case=vs-openocd ...)
 * And the command line's start-up, `swim-studio parts` against a bare `node -e 0` (medians):
 *   RESULT case=cli-start cli_ms=N node_ms=N ratio=R                  (target ≤ 2)
 * And production programming, boards/hour of four stations against four times one (virtual clock):
 *   RESULT case=production-4 bph_4=N bph_1=N ratio=R                  (goal ≥ 0.9)
 * Benchmarks print; they never fail on a number.
 */
import { runCliStartCase } from './cli-start-case';
import { ENGINE_CASES, runEngineCase } from './engine-cases';
import { runOpenOcdCase } from './openocd-case';
import { formatPhases } from './phases';
import { PRODUCTION_GOAL, runProductionCase } from './production-case';

const TARGET: Record<string, number> = {
  'v2-used-8k': 1.6,
  'v2-blank-8k': 1.6,
  'v3-used-8k': 1.25,
  'v3-blank-8k': 1.25,
  'v3-used-128k': 1.25,
  'v2-unchanged-8k': 1.1,
  'v3-unchanged-8k': 1.1,
};

const CLI_START_TARGET = 2;

function fmt(n: number): string {
  return n.toFixed(1);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  if (!only.length || only.includes('cli-start')) {
    const c = runCliStartCase();
    const ratio = c.cliMs / c.nodeMs;
    console.log(`RESULT case=cli-start cli_ms=${fmt(c.cliMs)} node_ms=${fmt(c.nodeMs)} ratio=${ratio.toFixed(3)}`);
    console.log(`DETAIL case=cli-start target=${CLI_START_TARGET} ${ratio <= CLI_START_TARGET ? 'met' : 'MISSED'} runs=${c.runs} command="swim-studio parts" (median of each)`);
  }
  for (const c of ENGINE_CASES) {
    if (only.length && !only.includes(c.name)) continue;
    const r = await runEngineCase(c);
    const ratio = r.engineMs / r.floorMs;
    console.log(`RESULT case=${r.name} engine_ms=${fmt(r.engineMs)} floor_ms=${fmt(r.floorMs)} ratio=${ratio.toFixed(3)}`);
    const p = r.report;
    const target = TARGET[r.name];
    console.log(
      `DETAIL case=${r.name} target=${target} ${ratio <= target ? 'met' : 'MISSED'} transfers=${r.transfers} status_polls=${r.statusPolls} busy_polls=${r.busyPolls}` +
        ` blocks_written=${p.blocksWritten} skipped=${p.blocksSkipped} fast=${p.blocksFast} standard=${p.blocksStandard} erased=${p.blocksErased}` +
        ` bytes_written=${p.bytesWritten} pre_read=${p.bytesPreRead} verified=${p.bytesVerified}`,
    );
    console.log(`PHASES case=${r.name} ${formatPhases(r.phases)}`);
  }
  if (!only.length || only.includes('production-4')) {
    const p = await runProductionCase();
    console.log(`RESULT case=production-4 bph_4=${p.four.bph.toFixed(0)} bph_1=${p.one.bph.toFixed(0)} ratio=${p.ratio.toFixed(3)}`);
    console.log(
      `DETAIL case=production-4 target=${PRODUCTION_GOAL} ${p.ratio >= PRODUCTION_GOAL ? 'met' : 'MISSED'} boards_4=${p.four.boards} clock_4_ms=${fmt(p.four.elapsedMs)} boards_1=${p.one.boards} clock_1_ms=${fmt(p.one.elapsedMs)} (virtual clock, stlinkv3, 8 KB firmware, operator handling included)`,
    );
  }
  if (only.length && !only.includes('vs-openocd')) return;
  const o = await runOpenOcdCase();
  if (o.kind === 'skip') {
    console.log(`SKIP case=vs-openocd reason="${o.reason}"`);
    return;
  }
  for (const r of o.results) {
    const v = r.probe === 'stlinkv3' ? 'v3' : 'v2';
    console.log(
      `RESULT case=vs-openocd-${v} process_engine_ms=${fmt(r.engine.processMs)} process_openocd_ms=${fmt(r.openocd.processMs)} process_ratio=${(r.engine.processMs / r.openocd.processMs).toFixed(3)}` +
        ` job_engine_ms=${fmt(r.engine.jobMs)} job_openocd_ms=${fmt(r.openocd.jobMs)} job_ratio=${(r.engine.jobMs / r.openocd.jobMs).toFixed(3)}`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
