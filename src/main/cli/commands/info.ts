import { defineCommand } from '../define-command';
import { EXIT } from '../command';
import type { InfoDoc } from '../json';
import { size } from '../output';
import { hex } from '#shared/hex';
import { jobOptions, partName, probeDoc, requirePart, withConnection } from '../connect';

/** `swim-studio info`: connect and show probe and target facts. */
export const command = defineCommand({
  name: 'info',
  summary: 'connect and show the probe, target voltage, SWIM speed and protection state',
  usage: [
    'Usage: swim-studio --part PART info [--under-reset]',
    '',
    '  --under-reset    same as the global --connect-under-reset: hold NRST low while entering',
    '                   SWIM and stall the CPU before the firmware runs (firmware that disables SWIM)',
    'JSON: {"probe":{...as in list..., "targetVoltage"},"target":{"part","family","swimSpeed",',
    '       "underReset","readProtected","regions":[{"region","start","size"}]}}',
  ],
  options: [{ name: 'under-reset' }],
  async run({ args, out, io, globals }) {
    const part = requirePart(partName(globals));
    const doc = await withConnection(globals, args.options.has('under-reset') ? { underReset: true } : {}, async (conn) => {
      const c = conn.connectReport;
      // The one command that shows protection, so the one that reads the option bytes;
      // null = unknown (reported as such).
      const readProtected = await conn.readOptionBytes(jobOptions(io)).then(
        (o) => o.ropActive,
        () => null,
      );
      const d: InfoDoc = {
        probe: { ...probeDoc(conn, globals), targetVoltage: c.voltage.volts },
        target: {
          part: conn.part.name,
          family: conn.part.family,
          swimSpeed: c.speed,
          underReset: c.underReset,
          readProtected,
          regions: part.regions.map((r) => ({ region: r.kind, start: r.start, size: r.size })),
        },
      };
      return d;
    });
    out.result(doc);
    const v = doc.probe.targetVoltage;
    out.line(`Probe:    ${doc.probe.name} ${doc.probe.firmware ?? ''}  serial ${doc.probe.serial}`);
    out.line(`Voltage:  ${v === null ? 'not measured by this probe' : `${v.toFixed(2)} V`}`);
    out.line(`Target:   ${doc.target.part} (${doc.target.family}), SWIM ${doc.target.swimSpeed} speed${doc.target.underReset ? ', connected under reset' : ''}`);
    out.line(
      `Protect:  ${doc.target.readProtected === null ? 'unknown' : doc.target.readProtected ? 'READ-OUT PROTECTED (run "swim-studio unlock" to erase and unprotect)' : 'not read-out protected'}`,
    );
    for (const r of doc.target.regions) out.line(`  ${r.region.padEnd(8)}${hex(r.start)}..${hex(r.start + r.size - 1)}  ${size(r.size)}`);
    return EXIT.ok;
  },
});
