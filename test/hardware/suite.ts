/**
 * The hardware-in-the-loop steps, run against one real ST-LINK and the STM8 on its board:
 * info, 8 KB of flash written/verified/read back, an EEPROM block the same way, option bytes
 * read, and — only when allowed — an option-byte write that is undone again. Everything
 * written is first read and saved, and put back afterwards. The USB trace of the whole run
 * is checked by the same rules as the engine's tests (src/main/stlink/trace-rules.ts).
 */
import type { TargetConnection } from '../../src/main/jobs/index';
import type { TracingTransport } from '../../src/main/diagnostics/trace';
import { traceBytes } from '../../src/main/diagnostics/trace';
import { checkTrace, TRACE_RULES } from '../../src/main/stlink/trace-rules';
import { MemoryImage } from '#shared/image/index';
import { pseudoRandomBytes } from '#shared/pseudo-random';
import { sameBytes } from '#shared/bytes';
import { hex } from '#shared/hex';

export interface StepResult {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
}

export interface SuiteOptions {
  allowOptionWrites: boolean;
}

type Step = (c: TargetConnection) => Promise<string>;

async function timed(name: string, c: TargetConnection, step: Step): Promise<StepResult> {
  const t0 = performance.now();
  try {
    const detail = await step(c);
    return { name, ok: true, ms: performance.now() - t0, detail };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { name, ok: false, ms: performance.now() - t0, detail: msg };
  }
}

function info(c: TargetConnection): Promise<string> {
  const id = c.identity;
  const r = c.connectReport;
  const v = r.voltage.volts === null ? `not measured (${r.voltage.note ?? ''})` : `${r.voltage.volts.toFixed(2)} V`;
  return Promise.resolve(`${id.variantName} ${id.versionString}, target ${v}, SWIM ${r.speed} speed, READBUFSIZE ${r.readBufSize}`);
}

/** Write `pattern` at `start` (after saving what is there), verify, read back, then restore. */
async function roundTrip(c: TargetConnection, start: number, length: number, seed: number): Promise<string> {
  const saved = (await c.read({ start, length })).data;
  const pattern = pseudoRandomBytes(length, seed);
  try {
    const w = await c.program(MemoryImage.fromBytes('hardware-test', start, pattern), { verify: true });
    const back = (await c.read({ start, length })).data;
    if (!sameBytes(back, pattern)) throw new Error(`read-back differs from what was written at ${hex(start)}`);
    return `${length} bytes at ${hex(start)}: written ${w.blocksWritten} blocks in ${Math.round(w.durationMs)} ms, verified, read back`;
  } finally {
    await c.program(MemoryImage.fromBytes('restore', start, saved), { verify: true });
  }
}

async function flash8k(c: TargetConnection): Promise<string> {
  const f = c.part.flash;
  return roundTrip(c, f.start, Math.min(8192, f.end - f.start + 1), 0x4a11);
}

async function eeprom(c: TargetConnection): Promise<string> {
  const e = c.part.regions.find((r) => r.kind === 'eeprom');
  if (!e) return 'no EEPROM on this part';
  return roundTrip(c, e.start, Math.min(c.part.blockSize, e.size), 0xee);
}

async function optRead(c: TargetConnection): Promise<string> {
  const ob = await c.readOptionBytes();
  if (ob.complementErrors.length > 0) throw new Error(`complement errors: ${ob.complementErrors.join(', ')}`);
  return `${ob.decoded.length} option bytes, ROP ${ob.ropActive ? 'active' : 'off'}`;
}

/** Toggle the least dangerous switch of the option bytes and set it back. */
async function optWrite(c: TargetConnection): Promise<string> {
  const part = c.part;
  const ob = await c.readOptionBytes();
  const pick = part.optionBytes
    .filter((o) => o.address !== part.rop.address)
    .flatMap((o) => o.fields.filter((f) => f.kind === 'switch' && !f.dangerous).map((f) => ({ o, f })))[0];
  if (!pick) return 'no harmless option field on this part; nothing written';
  const cur = ((ob.decoded.find((d) => d.address === pick.o.address)?.value ?? 0) >> pick.f.shift) & 1;
  await c.writeOptionBytes({ changes: { [pick.f.name]: cur ^ 1 } });
  await c.writeOptionBytes({ changes: { [pick.f.name]: cur } });
  return `${pick.f.name} toggled and restored`;
}

export async function runSuite(c: TargetConnection, opts: SuiteOptions): Promise<StepResult[]> {
  const steps: [string, Step][] = [
    ['info', info],
    ['flash 8 KB write/verify/read', flash8k],
    ['EEPROM write/verify/read', eeprom],
    ['option bytes read', optRead],
  ];
  if (opts.allowOptionWrites) steps.push(['option bytes write (and undo)', optWrite]);
  const out: StepResult[] = [];
  for (const [name, step] of steps) out.push(await timed(name, c, step));
  return out;
}

/** The trace rules on the recorded exchanges; one result line per rule. */
export function traceRuleResults(t: TracingTransport, c: TargetConnection): StepResult[] {
  const breaches = checkTrace(
    t.all().map((l) => ({ op: l.op, length: l.length, bytes: traceBytes(l) })),
    c.part,
  );
  return Object.entries(TRACE_RULES).map(([rule, text]) => {
    const hits = breaches.filter((b) => b.rule === rule);
    return { name: `trace rule ${rule}`, ok: hits.length === 0, ms: 0, detail: hits.length === 0 ? text : `${hits.length} breach(es), first: ${hits[0].command} — ${hits[0].detail}` };
  });
}
