/**
 * The operator of a virtual station: takes the finished board off the virtual fixture and,
 * when the station wants the next one, puts a factory-fresh chip (new unique ID) on it after
 * the handling time a person needs, on the probe's virtual clock.
 */
import type { VirtualProbe } from '../sim/index';
import { VirtualClock } from '../clock';
import type { BoardOperator } from './station';

/** Taking a board off a pogo-pin fixture and putting the next one on (a guess at a brisk operator). */
export const BOARD_HANDLING_MS = 4000;

export function virtualOperator(probe: VirtualProbe, name: string, handlingMs = BOARD_HANDLING_MS): BoardOperator {
  let boards = 0;
  return {
    boardWanted() {
      if (probe.hasBoard()) return;
      if (probe.clock instanceof VirtualClock) probe.clock.advance(handlingMs);
      probe.insertBoard({ uidSeed: `${name}/board-${++boards}` });
    },
    boardDone() {
      probe.removeBoard();
    },
  };
}
