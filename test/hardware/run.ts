/**
 * `npm run test:hardware [-- --part NAME] [--probe SERIAL] [--allow-option-writes] [--out DIR]`:
 * the hardware-in-the-loop suite (suite.ts) against the first real ST-LINK attached. With no
 * probe it prints one SKIP line and exits 0. It saves the USB trace and a Markdown report in
 * DIR (default hardware-report/) to attach to a bug report. See docs/hardware-testing.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { chooseUsbProbe } from '../../src/main/probes/usb';
import { virtualProbeFor } from '../../src/main/probes/index';
import type { UsbTransport } from '../../src/main/usb/transport';
import { TracingTransport } from '../../src/main/diagnostics/trace';
import { connectTarget } from '../../src/main/jobs/index';
import { RealClock } from '../../src/main/clock';
import { AppError } from '#shared/errors';
import { runSuite, traceRuleResults, type StepResult } from './suite';
import { markdownReport } from './report';

interface Args {
  part: string;
  /** Self-test of the suite on a virtual probe (PROBE:PART), where no hardware is at hand. */
  virtual?: string;
  probe?: string;
  allowOptionWrites: boolean;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { part: 'stm8s103f3', allowOptionWrites: false, out: 'hardware-report' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--allow-option-writes') a.allowOptionWrites = true;
    else if (k === '--part' || k === '--probe' || k === '--out' || k === '--virtual') {
      const v = argv[++i];
      if (!v) throw new Error(`${k} needs a value`);
      if (k === '--part') a.part = v;
      else if (k === '--probe') a.probe = v;
      else if (k === '--virtual') a.virtual = v;
      else a.out = v;
    } else throw new Error(`unknown option ${k} (known: --part NAME, --probe SERIAL, --allow-option-writes, --out DIR, --virtual PROBE:PART)`);
  }
  return a;
}

/** Why there is nothing to test, or null when a probe may be there. */
function noUsbReason(): string | null {
  if (process.platform === 'linux' && !existsSync('/sys/bus/usb')) return 'this machine has no USB bus (/sys/bus/usb is missing)';
  return null;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const noUsb = args.virtual ? null : noUsbReason();
  if (noUsb) {
    console.log(`SKIP test:hardware: ${noUsb}`);
    return 0;
  }
  let inner: UsbTransport;
  try {
    inner = args.virtual ? virtualProbeFor(args.virtual).transport : await chooseUsbProbe(args.probe);
  } catch (e) {
    if (e instanceof AppError && (e.code === 'no-probe' || e.code === 'probe-not-found')) {
      console.log(`SKIP test:hardware: ${e.message}`);
      return 0;
    }
    throw e;
  }
  const clock = inner.clock ?? new RealClock();
  const traced = new TracingTransport(inner, 1_000_000, clock);
  const started = new Date();
  const results: StepResult[] = [];
  let header = '';
  try {
    const c = await connectTarget({ transport: traced, part: args.part, probeOptions: { clock } });
    header = `${c.identity.variantName} ${c.identity.versionString}, part ${c.part.name}`;
    try {
      results.push(...(await runSuite(c, { allowOptionWrites: args.allowOptionWrites })));
    } finally {
      await c.close();
    }
    results.push(...traceRuleResults(traced, c));
  } catch (e) {
    results.push({ name: 'connect', ok: false, ms: 0, detail: e instanceof Error ? e.message : String(e) });
  }
  await mkdir(args.out, { recursive: true });
  const trace = traced.all();
  await writeFile(join(args.out, 'usb-trace.json'), JSON.stringify(trace, null, 1));
  await writeFile(join(args.out, 'report.md'), markdownReport({ header, started, args, results, traceLines: trace.length }));
  for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'} ${r.name} (${Math.round(r.ms)} ms): ${r.detail}`);
  console.log(`report: ${join(args.out, 'report.md')}, USB trace: ${join(args.out, 'usb-trace.json')} (${trace.length} exchanges)`);
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  },
);
