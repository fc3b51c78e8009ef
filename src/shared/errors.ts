/**
 * Errors cross every boundary (library → CLI, main → renderer) as data: a stable code, a
 * message for people, an optional remedy, and details for the log. Never a bare stack.
 */
export interface AppErrorData {
  code: string;
  message: string;
  remedy?: string;
  details?: Record<string, unknown>;
}

export class AppError extends Error implements AppErrorData {
  readonly code: string;
  readonly remedy?: string;
  readonly details?: Record<string, unknown>;
  constructor(code: string, message: string, remedy?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (remedy !== undefined) this.remedy = remedy;
    if (details !== undefined) this.details = details;
  }
  toData(): AppErrorData {
    const d: AppErrorData = { code: this.code, message: this.message };
    if (this.remedy !== undefined) d.remedy = this.remedy;
    if (this.details !== undefined) d.details = this.details;
    return d;
  }
}

export function toErrorData(e: unknown): AppErrorData {
  if (e instanceof AppError) return e.toData();
  if (e && typeof e === 'object' && 'code' in e && 'message' in e && typeof (e as { code: unknown }).code === 'string') {
    const x = e as { code: string; message: string; remedy?: unknown };
    return { code: x.code, message: String(x.message), ...(typeof x.remedy === 'string' ? { remedy: x.remedy } : {}) };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/** One byte where the chip differs from the image. */
export interface MismatchData {
  address: number;
  expected: number;
  actual: number;
}

/**
 * A 'verify-failed' error (the engine throws it with details.mismatches and details.count)
 * as data for a report; null for any other error, which the caller rethrows.
 */
export function verifyFailure(e: unknown): { mismatchCount: number; mismatches: MismatchData[] } | null {
  if (!(e instanceof AppError) || e.code !== 'verify-failed') return null;
  const d = e.details as { mismatches?: MismatchData[]; count?: number } | undefined;
  const mismatches = (d?.mismatches ?? []).map((m) => ({ address: m.address, expected: m.expected, actual: m.actual }));
  return { mismatchCount: d?.count ?? mismatches.length, mismatches };
}
