/**
 * Program on the option tab (the action bar, not the field editor): the primary bytes that
 * differ from the chip are written by address and main adds the complements. When main asks to
 * confirm a dangerous change, the user is asked once and the write is sent again with the
 * fields main named.
 */
import { ApiError, call } from '../../api/client';
import { useMemoryStore } from '../../stores/memory';
import { usePartStore } from '../../stores/part';
import { takeOptionReading } from './option-reading';

/** Writes the option tab; resolves with main's summary, throws the request's error. */
export async function programOptionTab(): Promise<string> {
  const memory = useMemoryStore();
  const part = usePartStore().part;
  const buf = memory.buffer('option')!;
  if (!part) throw new ApiError({ code: 'part-required', message: 'Choose a part first.' });
  const raw = part.optionBytes
    .map((ob) => ({ address: ob.address, value: buf.edited[ob.address - buf.start] }))
    .filter((b) => buf.device === null || buf.device[b.address - buf.start] !== b.value);
  if (raw.length === 0) return 'The option bytes on the chip already hold these values; nothing written.';
  let confirmations: string[] = [];
  for (;;) {
    try {
      const r = await call('writeOptionBytes', { raw, confirmations });
      takeOptionReading(r.after);
      buf.state = 'programmed';
      memory.touch('option');
      return r.report.summary;
    } catch (e) {
      const needed = e instanceof ApiError && e.code === 'confirm-required' ? requiredConfirmations(e) : null;
      if (!needed || confirmations.length) throw e;
      const ok = window.confirm(`${(e as ApiError).message}\n\n${(e as ApiError).remedy ?? ''}\n\nWrite these option bytes anyway?`);
      if (!ok) throw new ApiError({ code: 'cancelled', message: 'Option bytes were not written.' });
      confirmations = needed;
    }
  }
}

/** The dangerous field names main asks to confirm (details.fields or details.confirmations). */
function requiredConfirmations(e: ApiError): string[] | null {
  const d = e.details ?? {};
  for (const key of ['confirmations', 'fields', 'required']) {
    const v = d[key];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  }
  return null;
}
