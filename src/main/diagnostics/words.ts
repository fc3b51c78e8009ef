/** Small shared helpers for the ladder's evidence texts. */
import { AppError } from '#shared/errors';
import { hex2, hexDigits } from '#shared/hex';
import { makeFinding } from './findings';
import type { Finding, StepId } from './types';

export const hexs = (b: ArrayLike<number>): string => Array.from(b, (x) => hexDigits(x, 2)).join(' ');

/** The SWIM status byte an engine error carries, if any. */
export function statusOf(e: unknown): number | null {
  if (e instanceof AppError && typeof e.details?.status === 'number') return e.details.status;
  return null;
}

/** "code: message (status 0x04)" for evidence lines. */
export function errorText(e: unknown): string {
  if (e instanceof AppError) {
    const st = statusOf(e);
    return `${e.code}: ${e.message}${st !== null && !e.message.includes(hex2(st)) ? ` (status ${hex2(st)})` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Errors that mean the probe itself went away or stopped answering: the ladder ends there. */
export function probeLostFinding(e: unknown, during: StepId): Finding | null {
  if (!(e instanceof AppError)) return null;
  if (e.code === 'probe-unplugged' || e.code === 'probe-closed') {
    return makeFinding('probe-unplugged', { vars: { detail: e.message, during }, evidence: errorText(e), step: during });
  }
  if (e.code === 'usb-timeout' || e.code === 'usb-io') {
    return makeFinding('probe-not-answering', { vars: { detail: e.message }, evidence: errorText(e), step: during });
  }
  return null;
}
