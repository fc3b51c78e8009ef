/**
 * Which stations to run: `--probes all|SERIAL,...` (USB ST-LINKs) and `--station SPEC`
 * (virtual:PROBE:PART[:FAULT,...] or socket:PATH). Bad specs fail before anything starts.
 */
import { AppError } from '#shared/errors';
import { listProbes, openProbe, virtualProbeFor, type ProbeChoice } from '../probes/index';
import { createVirtualProbe, parseVirtualSpec, type VirtualProbe } from '../sim/index';
import { StlinkProbe } from '../stlink/probe';
import { findPart } from '#shared/catalogue/index';
import { Station } from './station';
import { virtualOperator } from './virtual-operator';

export interface StationChoice {
  /** "all", or serials / port paths, comma separated; undefined: no USB stations. */
  probes?: string;
  stations: readonly string[];
  /** Part of the recipe: a virtual station's chip must be this part. */
  part: string;
}

function bad(why: string): AppError {
  return new AppError('bad-station', why, 'Give --station virtual:PROBE:PART[:FAULT,...] or socket:PATH, or --probes all|SERIAL,...');
}

export async function buildStations(c: StationChoice): Promise<Station[]> {
  const out: Station[] = [];
  const seen = new Set<string>();
  const add = (name: string, sel: ProbeChoice): void => {
    if (seen.has(name)) throw bad(`station ${name} is given twice.`);
    seen.add(name);
    out.push(new Station(name, () => openProbe(sel)));
  };
  if (c.probes !== undefined) {
    const usb = await listProbes();
    const wanted = c.probes === 'all' ? usb.map((p) => p.serial) : c.probes.split(',').map((s) => s.trim()).filter(Boolean);
    if (c.probes === 'all' && usb.length === 0 && c.stations.length === 0) throw new AppError('no-probe', 'No ST-LINK is attached.', 'Plug in the probes (swim-studio list shows them).');
    for (const w of wanted) {
      const p = usb.find((x) => x.serial === w.toUpperCase() || x.portPath === w || x.serialRaw === w);
      if (!p) throw new AppError('probe-not-found', `No attached ST-LINK has serial or port ${w}.`, 'Run "swim-studio list" to see the attached probes.');
      add(`usb:${p.serial}`, { probe: p.serial });
    }
  }
  for (const spec of c.stations) {
    if (spec.startsWith('virtual:')) {
      const v = spec.slice('virtual:'.length);
      const parsed = parseVirtualSpec(v);
      if (findPart(parsed.part).name !== c.part) throw bad(`${spec}: the recipe is for ${c.part}, this virtual chip is a ${parsed.part}.`);
      // The same spec again is another probe on another fixture: "virtual:SPEC#2", …
      let name = `virtual:${v}`;
      for (let n = 2; seen.has(name); n++) name = `virtual:${v}#${n}`;
      seen.add(name);
      const vp: VirtualProbe = name === `virtual:${v}` ? virtualProbeFor(v) : createVirtualProbe({ probe: parsed.probe, part: parsed.part, faults: parsed.faults, ...(parsed.timing ? { timing: parsed.timing } : {}) });
      out.push(new Station(name, () => StlinkProbe.open(vp.transport, { clock: vp.clock }), virtualOperator(vp, name), vp));
    } else if (spec.startsWith('socket:') && spec.length > 'socket:'.length) {
      add(spec, { simSocket: spec.slice('socket:'.length) });
    } else {
      throw bad(`"${spec}" is not a station.`);
    }
  }
  if (!out.length) throw bad('no station given.');
  return out;
}
