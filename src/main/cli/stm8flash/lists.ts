/** stm8flash -l and -L: the part names and the attached programmers, in stm8flash's words. */
import { allParts } from '#shared/catalogue/index';
import type { CliIo, GlobalOptions } from '../command';
import { EXIT } from '../command';
import { probeSelection } from '../connect';
import { listProbeDocs } from '../probe-docs';

export async function listProgrammers(io: CliIo, globals: GlobalOptions): Promise<number> {
  // -L lists every attached probe: --probe does not narrow it.
  const { probes } = await listProbeDocs(probeSelection({ ...globals, probe: undefined }));
  // stm8flash -L numbers programmers from 0 and prints "vendor product, Serial Number:HEX".
  probes.forEach((p, i) => io.out(`Programmer ${i}: STMicroelectronics ${p.name}, Serial Number:${p.serial}`));
  if (probes.length === 0) io.err('No ST-LINK found.');
  return probes.length ? EXIT.ok : EXIT.noProbe;
}

/** stm8flash -l prints its part table's names space-separated: here, the catalogue's stm8flash patterns. */
export function stm8flashPartList(): string[] {
  const seen = new Set<string>();
  for (const p of allParts()) if (p.stm8flash) seen.add(p.pattern);
  return [...seen];
}
