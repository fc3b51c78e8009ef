/** A virtual probe served by another process (`swim-studio sim serve`, docs/spec/simulator.md §7). */
import { AppError } from '#shared/errors';
import { SocketTransport } from '../usb/socket-transport';
import { toUsbAppError } from '../usb/errors';
import type { ProbeSummary } from './types';
import { summarizeProbe } from './summary';

/** Connect to the socket; a missing server gives 'no-probe' with the command that starts one. */
export async function connectSocketProbe(path: string): Promise<SocketTransport> {
  try {
    return await SocketTransport.connect(path);
  } catch (e) {
    const a = toUsbAppError(e, `probe socket ${path}`);
    if (a.code === 'probe-unplugged') {
      throw new AppError('no-probe', `No virtual probe is served at ${path}.`, `Start one with "swim-studio sim serve --socket ${path} --probe stlinkv3 --part stm8s103f3", or check the path.`, {
        path,
        cause: a.toData(),
      });
    }
    throw a;
  }
}

export function summarizeSocket(path: string, t: SocketTransport): ProbeSummary {
  return summarizeProbe(t.info, `socket:${path}`, 'socket');
}
