/**
 * Board swap for production runs: the probe stays plugged in while the operator takes one
 * board off the fixture and puts the next one on. A removed board leaves the probe with no
 * target voltage; a new board is a fresh chip (new unique ID, factory option bytes, blank
 * memories) or one with given contents.
 */
import { findPart } from '#shared/catalogue/index';
import { captureState, restoreState, type SimState } from './state';
import { Stm8Target } from './target';

export interface NewBoard {
  /** Seed of the new chip's unique ID (any text; same seed, same UID). */
  uidSeed: string;
  /** Memories to start from (a state file's contents); default: a blank chip. */
  state?: SimState;
}

/** The memories of a factory-fresh chip of `partName` whose unique ID derives from `uidSeed`. */
export function freshBoardState(partName: string, uidSeed: string): SimState {
  const fresh = new Stm8Target({ part: findPart(partName), serial: uidSeed });
  return captureState(fresh, uidSeed, undefined, 0);
}

/** Put `board` in place of whatever `target` held: called while the target is unpowered. */
export function loadBoard(target: Stm8Target, board: NewBoard): void {
  const state = board.state ?? freshBoardState(target.part.name, board.uidSeed);
  restoreState(target, { ...state, part: target.part.name });
}
