/**
 * Builds the app service on the real engine, catalogue and files: what the Electron app
 * and `swim-studio ui` both run.
 */
import { AppService } from './app-service';
import type { AppServiceOptions } from './app-service';
import { catalogue } from './catalogue-adapter';
import { createEngineAdapter } from './engine-adapter';
import { nodeFiles } from './files-adapter';

export type CreateOptions = Omit<AppServiceOptions, 'engine' | 'catalogue' | 'files'> & Partial<Pick<AppServiceOptions, 'engine'>>;

export function createAppService(opts: CreateOptions): AppService {
  return new AppService({ ...opts, engine: opts.engine ?? createEngineAdapter(), catalogue, files: nodeFiles });
}
