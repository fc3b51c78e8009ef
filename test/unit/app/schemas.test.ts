import { describe, expect, it } from 'vitest';
import { REQUEST_NAMES } from '#shared/ipc';
import { SCHEMAS, validateArg } from '../../../src/main/service/schemas';
import { AppError } from '#shared/errors';

function refusal(name: string, arg: unknown): AppError {
  try {
    validateArg(name, arg);
  } catch (e) {
    return e as AppError;
  }
  throw new Error(`${name} accepted ${JSON.stringify(arg)}`);
}

describe('argument validation in main', () => {
  it('has a schema for every request of the contract, and no other', () => {
    expect(Object.keys(SCHEMAS).sort()).toEqual([...REQUEST_NAMES].sort());
  });

  it('refuses an unknown request name', () => {
    expect(refusal('formatHardDisk', {}).code).toBe('unknown-request');
  });

  it('accepts a well-formed program request and keeps the bytes', () => {
    const data = new Uint8Array([1, 2, 3]);
    const arg = validateArg('program', { segments: [{ region: 'flash', address: 0x8000, data }], options: { verifyAfterWrite: true } });
    expect(arg.segments[0].data).toEqual(data);
    expect(arg.segments[0].address).toBe(0x8000);
  });

  it('names the path of every problem', () => {
    const e = refusal('program', { segments: [{ region: 'flash', address: -1, data: [1, 2] }] });
    expect(e.code).toBe('invalid-argument');
    const paths = (e.details?.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toContain('segments.0.address');
    expect(paths).toContain('segments.0.data');
    expect(e.message).toMatch(/program/);
  });

  it('refuses unknown keys (strict objects) and wrong enums', () => {
    expect(refusal('erase', { region: 'flash', force: true }).code).toBe('invalid-argument');
    expect(refusal('erase', { region: 'bootrom' }).code).toBe('invalid-argument');
    expect(refusal('connect', { probe: { kind: 'virtual', variant: 'stlinkv9' }, part: 'stm8s103f3' }).code).toBe('invalid-argument');
  });

  it('refuses addresses beyond 24 bits and segments that run past them', () => {
    expect(refusal('writeRam', { address: 0x1000000, data: new Uint8Array(1) }).code).toBe('invalid-argument');
    expect(refusal('verify', { segments: [{ region: 'flash', address: 0xffffff, data: new Uint8Array(2) }] }).code).toBe('invalid-argument');
  });

  it('requires the literal confirmation for unlock', () => {
    expect(refusal('unlock', { confirm: 'yes' }).code).toBe('invalid-argument');
    expect(validateArg('unlock', { confirm: 'erase-everything' })).toEqual({ confirm: 'erase-everything' });
  });

  it('refuses an option-byte write with nothing in it', () => {
    expect(refusal('writeOptionBytes', { confirmations: [] }).code).toBe('invalid-argument');
  });

  it('refuses a range read on "all"', () => {
    expect(refusal('readRegion', { region: 'all', address: 0x8000 }).code).toBe('invalid-argument');
  });

  it('treats a missing argument as {} for requests without arguments, and refuses extras', () => {
    expect(validateArg('status', undefined)).toEqual({});
    expect(refusal('status', { x: 1 }).code).toBe('invalid-argument');
    expect(refusal('listProbes', 'all').code).toBe('invalid-argument');
  });
});
