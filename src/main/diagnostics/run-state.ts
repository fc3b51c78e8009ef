/**
 * The bookkeeping of one diagnostics run: step states (reported live through onStep),
 * findings in the order they were reached, and the facts the report shows. The ladder
 * (ladder.ts) decides; this only records.
 */
import type { Clock } from '../clock';
import { initialSteps } from './steps';
import type { FactValue, Finding, FirmwareFacts, PartFacts, ProbeFacts, StepId, StepRecord } from './types';

/** Thrown between steps when the run is cancelled. */
export class DiagnosticsCancelled extends Error {
  constructor() {
    super('diagnostics cancelled');
    this.name = 'DiagnosticsCancelled';
  }
}

export class RunState {
  readonly steps: StepRecord[] = initialSteps();
  readonly findings: Finding[] = [];
  probe: ProbeFacts | null = null;
  probesSeen: ProbeFacts[] = [];
  firmware: FirmwareFacts | null = null;
  targetVoltage: number | null = null;
  part: PartFacts = { selected: null, used: null, identified: null, candidates: [] };
  cancelled = false;
  /** The clock of the probe under test, once known (virtual for in-process virtual probes). */
  clock: Clock | null = null;
  /** How many exchanges the trace held when the first step failed (the report's trace ends there). */
  traceMark: { step: StepId; count: number } | null = null;
  /** Tells how many exchanges the trace holds so far (set once the probe is wrapped). */
  traceCount: () => number = () => 0;
  private current: StepId | null = null;
  private startedAt = 0;

  constructor(
    private readonly onStep?: (s: StepRecord) => void,
    private readonly signal?: AbortSignal,
  ) {}

  step(id: StepId): StepRecord {
    const s = this.steps.find((x) => x.id === id);
    if (!s) throw new Error(`unknown step ${id}`);
    return s;
  }

  get currentStep(): StepId | null {
    return this.current;
  }

  private emit(s: StepRecord): void {
    if (!this.onStep) return;
    try {
      this.onStep({ ...s, facts: { ...s.facts } });
    } catch {
      /* a listener's bug must not break the diagnostics */
    }
  }

  /** Between steps: stop here if the run was cancelled. */
  checkCancelled(): void {
    if (this.signal?.aborted) throw new DiagnosticsCancelled();
  }

  start(id: StepId): void {
    this.checkCancelled();
    const s = this.step(id);
    s.state = 'running';
    this.current = id;
    this.startedAt = this.clock?.now() ?? 0;
    this.emit(s);
  }

  /** Add facts to a step (running or done). */
  facts(id: StepId, facts: Record<string, FactValue>): void {
    Object.assign(this.step(id).facts, facts);
  }

  private end(id: StepId, state: 'passed' | 'failed' | 'skipped', evidence?: string, note?: string): void {
    const s = this.step(id);
    s.state = state;
    if (evidence !== undefined) s.evidence = evidence;
    if (note !== undefined) s.note = note;
    if (this.current === id) {
      if (this.clock) s.durationMs = Math.round((this.clock.now() - this.startedAt) * 1000) / 1000;
      this.current = null;
    }
    this.emit(s);
  }

  pass(id: StepId, evidence?: string, note?: string): void {
    this.end(id, 'passed', evidence, note);
  }

  fail(id: StepId, evidence?: string, note?: string): void {
    const count = this.traceCount();
    if (!this.traceMark && count > 0) this.traceMark = { step: id, count };
    this.end(id, 'failed', evidence, note);
  }

  skip(id: StepId, note: string): void {
    this.end(id, 'skipped', undefined, note);
  }

  /** Every step still waiting (or running) is skipped with this note. */
  skipRemaining(note: string): void {
    for (const s of this.steps) if (s.state === 'waiting' || s.state === 'running') this.skip(s.id, note);
  }

  add(f: Finding | null | undefined): void {
    if (f) this.findings.push(f);
  }

  /** Did this step produce a warning or an error? */
  stepHasProblem(id: StepId): boolean {
    return this.findings.some((f) => f.step === id && (f.severity === 'warning' || f.severity === 'error'));
  }

  /** Pass or fail a step depending on the findings it produced. */
  conclude(id: StepId, evidence?: string, note?: string): void {
    if (this.stepHasProblem(id)) this.fail(id, evidence, note);
    else this.pass(id, evidence, note);
  }
}
