import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { allParts, partFieldMeaning } from '#shared/catalogue/index';
import { FINDINGS, STEP_DEFINITIONS } from '../../../src/main/diagnostics/index';
import { FAULTS } from '../../../src/main/sim/index';
import { identifierWords } from './identifier-words';

/**
 * No code identifiers in what users read (issue: the UBC field's help ended "(see
 * ubcProtectedBytes)"). Scanned: the catalogue's option-byte texts and our part notes, every
 * diagnostics finding (with and without its run values) and step, the fault list, and in the
 * sources of src/main and src/shared every error message and remedy (`new AppError(code,
 * message, remedy)`, `usageError(...)`) and every text property (message, remedy, title,
 * description, meaning, explanation, summary, usage ...).
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');

interface Text {
  where: string;
  text: string;
}

function hitsIn(texts: Text[]): string[] {
  return texts.flatMap(({ where, text }) => identifierWords(text).map((h) => `${where}: ${h.kind} "${h.word}" in: ${text}`));
}

function catalogueTexts(): Text[] {
  const out: Text[] = [];
  for (const part of allParts()) {
    // "Source note: ..." lines are kept verbatim from the catalogue data (a copy of the
    // project's reference file, checked by json-copy.test.ts) and quote the tables they
    // compare, stm8flash's field names included; our own notes are checked.
    part.notes.filter((n) => !n.startsWith('Source note:')).forEach((text) => out.push({ where: `${part.name} note`, text }));
    for (const ob of part.optionBytes) {
      out.push({ where: `${part.name} ${ob.name}`, text: ob.description });
      for (const f of ob.fields) {
        const where = `${part.name} ${ob.name}.${f.name}`;
        for (const text of [f.description, f.dangerous, f.otherValues, ...(f.values ?? []).map((v) => v.meaning)]) if (text) out.push({ where, text });
        for (const value of [0, 1, 2, 0x55, 0xaa, 0xff]) out.push({ where: `${where}=${value}`, text: partFieldMeaning(part, f, value) });
      }
    }
  }
  return out;
}

function diagnosticsTexts(): Text[] {
  const out: Text[] = [];
  // Every run value present ("V"), and none (each text's own fallback phrase).
  const allVars = new Proxy({}, { get: (_t, key) => (typeof key === 'string' ? 'V' : undefined) });
  for (const d of FINDINGS.values()) {
    for (const vars of [{}, allVars]) {
      const t = d.text(vars);
      for (const text of [t.title, t.explanation, ...t.remedies]) out.push({ where: `finding ${d.code}`, text });
    }
  }
  for (const s of STEP_DEFINITIONS) out.push({ where: `step ${s.id}`, text: s.title });
  for (const [name, f] of Object.entries(FAULTS)) {
    for (const text of [f.description, f.argMeaning]) if (text) out.push({ where: `fault ${name}`, text });
  }
  return out;
}

const TEXT_PROPERTIES = new Set(['message', 'remedy', 'title', 'description', 'meaning', 'otherValues', 'dangerous', 'explanation', 'summary', 'usage', 'hint', 'label', 'evidence']);
const MESSAGE_CALLS = /^(usageError|appError)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** A string's text with each `${...}` as "…", so "bit${s}" is not read as one word "bitX". */
function literalText(n: ts.Node): string | null {
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
  if (ts.isTemplateExpression(n)) return n.head.text + n.templateSpans.map((s) => `… ${s.literal.text}`).join('');
  return null;
}

function sourceTexts(): Text[] {
  const out: Text[] = [];
  for (const file of [...sourceFiles(join(ROOT, 'src', 'main')), ...sourceFiles(join(ROOT, 'src', 'shared'))]) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const collect = (node: ts.Node): void => {
      const text = literalText(node);
      if (text === null) return ts.forEachChild(node, collect);
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      out.push({ where: `${relative(ROOT, file)}:${line}`, text });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && node.expression.getText() === 'AppError') (node.arguments ?? []).slice(1, 3).forEach(collect);
      else if (ts.isCallExpression(node) && MESSAGE_CALLS.test(node.expression.getText())) node.arguments.slice(0, 2).forEach(collect);
      else if (ts.isPropertyAssignment(node) && TEXT_PROPERTIES.has(node.name.getText())) collect(node.initializer);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

describe('identifier-shaped words', () => {
  it('are told from English, register names, paths and options', () => {
    const words = (t: string): string[] => identifierWords(t).map((h) => h.word);
    expect(words('Size in pages (see ubcProtectedBytes); call writeBlock() with unlock_bytes, or AppError.remedy')).toEqual(
      expect.arrayContaining(['ubcProtectedBytes', 'writeBlock()', 'unlock_bytes', 'AppError']),
    );
    expect(words('Set FLASH_CR2 and NOPT2, AFR0 remaps; option bytes at 0x4800, firmware V2J37S7, 8 kHz')).toEqual([]);
    expect(words('Run "swim-studio --sim-socket /tmp/stlink.sock ui", then out/renderer/index.html or chip.json')).toEqual([]);
    expect(words('JSON: {"target":{"swimSpeed","underReset"}}')).toEqual([]);
    expect(words('(see "ubcProtectedBytes")')).toEqual(['ubcProtectedBytes']);
  });
});

describe('user-facing text', () => {
  it('catalogue option-byte texts and part notes have no code identifiers', () => {
    const texts = catalogueTexts();
    expect(texts.length).toBeGreaterThan(1000);
    expect(hitsIn(texts)).toEqual([]);
  });

  it('diagnostics findings, steps and the fault list have no code identifiers', () => {
    const texts = diagnosticsTexts();
    expect(texts.length).toBeGreaterThan(100);
    expect(hitsIn(texts)).toEqual([]);
  });

  it('error messages, remedies and text properties in the sources have no code identifiers', () => {
    const texts = sourceTexts();
    expect(texts.length).toBeGreaterThan(300);
    expect(hitsIn(texts)).toEqual([]);
  });
});
