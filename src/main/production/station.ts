/**
 * One station: one probe, one board after another. Per board: wait for it, program it
 * (board-job.ts), log it, settle its serial, signal pass/fail, wait for it to go, next.
 * A station's failure ends only that station: the runner's other stations carry on.
 */
import { toErrorData, type AppErrorData } from '#shared/errors';
import { TargetConnection } from '../jobs/index';
import type { VirtualProbe } from '../sim/index';
import type { StlinkProbe } from '../stlink/probe';
import type { BoardLog, BoardRecord } from './board-log';
import { programBoard, type BoardFacts, type BoardProgress } from './board-job';
import { meansNoBoard, waitForBoard, waitForRemoval } from './presence';
import type { Recipe } from './recipe';
import type { Reservation, SerialJournal } from './serial-journal';

export type StationState = 'connecting' | 'waiting-board' | 'programming' | 'pass' | 'fail' | 'remove-board' | 'offline' | 'done';

export interface StationEvent {
  station: string;
  state: StationState;
  progress?: BoardProgress;
  /** The record just logged (pass / fail). */
  record?: BoardRecord;
  /** Why a board failed or the station went offline. */
  error?: AppErrorData;
  reservation?: Reservation;
}

/** Someone who puts boards on the fixture and takes them off (virtual stations: virtual-operator.ts). */
export interface BoardOperator {
  /** The station wants a board. */
  boardWanted(): void;
  /** The station is done with the board on the fixture. */
  boardDone(): void;
}

/** What the runner shares with its stations. */
export interface StationContext {
  recipe: Recipe;
  journal: SerialJournal;
  log: BoardLog;
  signal: AbortSignal;
  /** Take the next board (false: the run has all the boards it wants). */
  claimBoard(): boolean;
  /** Whether more boards are wanted (checked before waiting for one). */
  wantsBoards(): boolean;
  emit(e: StationEvent): void;
}

/** Failures after which the probe itself is gone or unusable: the station goes offline. */
const PROBE_LOST = new Set(['probe-unplugged', 'probe-closed', 'usb-io', 'usb-timeout', 'probe-busy', 'probe-permission', 'probe-no-driver', 'no-probe', 'probe-not-found']);

export class Station {
  /** Clock time of the first and last event (the probe's clock), for boards/hour. */
  startedAt: number | null = null;
  endedAt: number | null = null;
  probeSerial = '';
  boards = 0;

  constructor(
    readonly name: string,
    private readonly openStationProbe: () => Promise<StlinkProbe>,
    private readonly operator?: BoardOperator,
    /** The simulated probe behind a virtual station (tests and the bench look at its chip). */
    readonly virtualProbe?: VirtualProbe,
  ) {}

  async run(ctx: StationContext): Promise<void> {
    const emit = (e: Omit<StationEvent, 'station'>): void => ctx.emit({ station: this.name, ...e });
    emit({ state: 'connecting' });
    let probe: StlinkProbe;
    try {
      probe = await this.openStationProbe();
    } catch (e) {
      emit({ state: 'offline', error: toErrorData(e) });
      return;
    }
    this.probeSerial = probe.identity.serial;
    this.startedAt = probe.clock.now();
    try {
      while (ctx.wantsBoards() && !ctx.signal.aborted) {
        // A virtual clock never really waits: without this turn of the event loop a
        // continuous virtual run would starve everything else (Ctrl+C, the app's requests).
        await new Promise<void>((resolve) => setImmediate(resolve));
        this.operator?.boardWanted();
        emit({ state: 'waiting-board' });
        const session = await waitForBoard(probe, ctx.recipe.part, ctx.signal);
        if (!session || !ctx.claimBoard()) {
          await session?.disconnect({ resume: true });
          break;
        }
        const record = await this.oneBoard(ctx, new TargetConnection(probe, session), emit);
        this.boards++;
        this.endedAt = probe.clock.now();
        if (record.code && PROBE_LOST.has(record.code)) {
          emit({ state: 'offline', error: { code: record.code, message: record.message ?? record.code } });
          return;
        }
        emit({ state: 'remove-board' });
        this.operator?.boardDone();
        if (!(await waitForRemoval(probe, ctx.recipe.part, record.uid, ctx.signal))) break;
      }
      emit({ state: 'done' });
    } catch (e) {
      emit({ state: 'offline', error: toErrorData(e) });
    } finally {
      this.endedAt = probe.clock.now();
      await probe.close().catch(() => undefined);
    }
  }

  private async oneBoard(ctx: StationContext, conn: TargetConnection, emit: (e: Omit<StationEvent, 'station'>) => void): Promise<BoardRecord> {
    const { recipe, journal } = ctx;
    const t0 = conn.clock.now();
    const facts: BoardFacts = { uid: null, reservation: null, optionBytes: {} };
    let error: AppErrorData | null = null;
    emit({ state: 'programming', progress: { phase: 'identify', percent: 0 } });
    try {
      await programBoard(
        conn,
        {
          recipe,
          journal,
          station: this.name,
          signal: ctx.signal,
          onProgress: (progress) => emit({ state: 'programming', progress }),
          onReserved: (reservation) => emit({ state: 'programming', reservation, progress: { phase: 'serial', percent: 85 } }),
        },
        facts,
      );
    } catch (e) {
      error = toErrorData(e);
      if (meansNoBoard(e)) error = { ...error, remedy: error.remedy ?? 'The board lost contact: check the fixture and the SWIM wiring.' };
      // Leave the chip reset and released; ignore a probe that is already gone.
      await conn.session.disconnect({ resume: false }).catch(() => undefined);
    }
    const record: BoardRecord = {
      time: new Date().toISOString(),
      station: this.name,
      probeSerial: this.probeSerial,
      uid: facts.uid,
      serial: facts.reservation?.serial ?? null,
      firmwareSha256: recipe.firmwareHash,
      optionBytes: facts.optionBytes,
      result: error ? 'fail' : 'pass',
      code: error?.code ?? null,
      ...(error ? { message: error.message } : {}),
      durationMs: Math.round((conn.clock.now() - t0) * 1000) / 1000,
    };
    // Log first, then settle: a crash in between is settled from the log on restart.
    ctx.log.append(record);
    if (facts.reservation) journal.settle(facts.reservation, record.result, record.code);
    emit({ state: record.result, record, ...(error ? { error } : {}) });
    return record;
  }
}
