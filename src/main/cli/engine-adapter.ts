import { AppError } from '../../shared/errors';
import type { ProbeDoc } from './json';
import type { CliTarget, TargetRequest } from './target';

/** Lists probes as the CLI documents them. */
export async function listProbeDocs(_sel: { virtual?: string; simSocket?: string }): Promise<ProbeDoc[]> {
  throw new AppError('not-implemented', 'the engine is not wired yet');
}

/** Opens the probe and connects to the target. */
export async function openTarget(_req: TargetRequest): Promise<CliTarget> {
  throw new AppError('not-implemented', 'the engine is not wired yet');
}
