/**
 * The finding catalogue and the 32 field rules of docs/spec/anchors.md §6: every required code exists
 * with words a user can act on, and every rule is answered by findings that name it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINDINGS, REQUIRED_FINDING_CODES, makeFinding } from '../../../src/main/diagnostics/findings';
import { FIELD_RULES } from '../../../src/main/diagnostics/field-rules';
import { STEP_DEFINITIONS } from '../../../src/main/diagnostics/steps';

const anchors = fileURLToPath(new URL('../../../docs/spec/anchors.md', import.meta.url));

describe('finding catalogue', () => {
  it('has every code the issue requires', () => {
    for (const code of REQUIRED_FINDING_CODES) expect(FINDINGS.has(code), code).toBe(true);
  });

  it('every finding has a title, an explanation, remedies and a real step; no placeholder leaks', () => {
    const steps = new Set(STEP_DEFINITIONS.map((s) => s.id));
    for (const code of FINDINGS.keys()) {
      const f = makeFinding(code);
      expect(f.title.length, code).toBeGreaterThan(5);
      expect(f.explanation.length, code).toBeGreaterThan(20);
      expect(f.remedies.length, code).toBeGreaterThan(0);
      expect(steps.has(f.step), code).toBe(true);
      const text = [f.title, f.explanation, ...f.remedies].join(' ');
      expect(text, code).not.toMatch(/undefined|\$\{|NaN/);
    }
  });

  it('fills in values from the run', () => {
    const f = makeFinding('target-no-power', { vars: { volts: '0.01 V' }, evidence: '0.012 V' });
    expect(f.explanation).toMatch(/0\.01 V/);
    expect(f.evidence).toBe('0.012 V');
    expect(f.severity).toBe('error');
  });

  it('unknown codes are a programming error, not a silent empty card', () => {
    expect(() => makeFinding('no-such-code')).toThrow(/no-such-code/);
  });

  it('severities are the four the app renders', () => {
    for (const d of FINDINGS.values()) expect(['ok', 'info', 'warning', 'error']).toContain(d.severity);
    expect(FINDINGS.get('all-good')?.severity).toBe('ok');
  });
});

describe('docs/spec/anchors.md §6 field rules', () => {
  it('covers 32 rules: U1-U7, P1-P5, W1-W7, T1-T10, H1-H3', () => {
    const ids = FIELD_RULES.map((r) => r.id);
    const want = [
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `U${n}`),
      ...[1, 2, 3, 4, 5].map((n) => `P${n}`),
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `W${n}`),
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `T${n}`),
      ...[1, 2, 3].map((n) => `H${n}`),
    ];
    expect(ids).toEqual(want);
  });

  it('each rule points at findings that exist and name the rule back', () => {
    for (const rule of FIELD_RULES) {
      expect(rule.findings.length, rule.id).toBeGreaterThan(0);
      for (const code of rule.findings) {
        const d = FINDINGS.get(code);
        expect(d, `${rule.id} → ${code}`).toBeDefined();
        expect(d?.rules, `${code} should list ${rule.id}`).toContain(rule.id);
      }
    }
    // And no finding claims a rule the table does not list for it.
    for (const d of FINDINGS.values()) {
      for (const id of d.rules) expect(FIELD_RULES.find((r) => r.id === id)?.findings, `${id} should list ${d.code}`).toContain(d.code);
    }
  });

  it('matches the rule ids in docs/spec/anchors.md', () => {
    const text = readFileSync(anchors, 'utf8');
    const section = text.slice(text.indexOf('## 6. Diagnostic rules'), text.indexOf('## 7.'));
    const ids = Array.from(section.matchAll(/^\| ([UPWTH]\d+) \|/gm), (m) => m[1]);
    expect(ids).toEqual(FIELD_RULES.map((r) => r.id));
  });
});
