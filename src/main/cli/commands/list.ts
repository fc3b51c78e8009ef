import { defineCommand } from '../define-command';
import { EXIT } from '../command';
import { probeSelection } from '../connect';
import { listProbeDocs } from '../probe-docs';
import type { ListDoc } from '../json';
import { hex } from '#shared/hex';

/** `swim-studio list`: the ST-LINK probes attached (or the virtual one asked for). */
export const command = defineCommand({
  name: 'list',
  summary: 'list attached ST-LINK probes (serial, firmware, SWIM support)',
  usage: [
    'Usage: swim-studio list',
    '',
    'Lists every ST-LINK seen on USB (or the probe given by --virtual / --sim-socket), with',
    'its serial as hex of the serial-string bytes (what --probe takes), USB port path,',
    'firmware version and whether it can do SWIM. A machine without USB lists no probes.',
    'Exit 0 when at least one probe is listed, 3 when none.',
    'JSON: {"probes":[{"variant","name","serial","vendorId","productId","portPath","kind",',
    '       "firmware","swim","problem"}]}',
  ],
  options: [],
  async run({ out, io, globals }) {
    const { probes, notes } = await listProbeDocs(probeSelection(globals));
    out.result({ probes } satisfies ListDoc);
    for (const n of notes) io.err(`${n.message}${n.remedy ? ' ' + n.remedy : ''}`);
    if (probes.length === 0) {
      if (!out.json) io.err('No ST-LINK found. Plug one in (a data-capable cable), or try --virtual stlinkv3:stm8s103f3.');
      return EXIT.noProbe;
    }
    for (const p of probes) {
      const fw = p.firmware ? ` ${p.firmware}` : '';
      const swim = p.swim === false ? ' (no SWIM)' : '';
      const port = p.portPath ? ` at USB ${p.portPath}` : '';
      out.line(`${p.name}${fw}  serial ${p.serial}  [${hex(p.vendorId)}:${hex(p.productId)}]${port}  ${p.kind}${swim}`);
      if (p.problem) out.line(`  ${p.problem.message}${p.problem.remedy ? ' ' + p.problem.remedy : ''}`);
    }
    return EXIT.ok;
  },
});
