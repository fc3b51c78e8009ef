import { AppError } from '#shared/errors';

/**
 * A small, strict argument parser for the subcommands. Every option is declared, so a
 * typo is a usage error (exit 2) instead of being silently ignored (stm8flash issue #76
 * accepted "s- eeprom" silently; PR #160 had to add "reject additional arguments").
 */
export interface OptionSpec {
  /** Long name without dashes, e.g. "region". */
  name: string;
  /** Optional one-letter alias without the dash, e.g. "r". */
  short?: string;
  /** True when the option takes a value (`--region flash` or `--region=flash`). */
  value?: boolean;
  /** May be given more than once (values collected in order). */
  repeat?: boolean;
}

export interface ParsedArgs {
  /** Flags given (value options map to their last value, switches to "true"). */
  options: Map<string, string>;
  /** Every value of a repeatable option, in order. */
  lists: Map<string, string[]>;
  positionals: string[];
}

export function usageError(message: string, remedy?: string): AppError {
  return new AppError('usage', message, remedy ?? 'Run the command with --help to see its options.');
}

export function parseArgs(args: string[], specs: OptionSpec[], maxPositionals = Infinity): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const options = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (onlyPositionals || a === '-' || !a.startsWith('-')) {
      positionals.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositionals = true;
      continue;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq > 0 ? a.slice(eq + 1) : undefined;
      spec = byLong.get(key);
    } else {
      spec = byShort.get(a.slice(1, 2));
      if (spec && a.length > 2) inline = a.slice(2);
    }
    if (!spec) throw usageError(`unknown option "${a}"`);
    let value = 'true';
    if (spec.value) {
      const v = inline ?? args[++i];
      // "--socket --probe x" forgot the socket: taking "--probe" as its value would only
      // move the error somewhere harder to read ("--opt=--x" still passes such a value).
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw usageError(`option --${spec.name} needs a value`);
      value = v;
    } else if (inline !== undefined) {
      throw usageError(`option --${spec.name} takes no value`);
    }
    options.set(spec.name, value);
    if (spec.repeat) lists.set(spec.name, [...(lists.get(spec.name) ?? []), value]);
  }
  if (positionals.length > maxPositionals) {
    throw usageError(`unexpected argument "${positionals[maxPositionals]}"`);
  }
  return { options, lists, positionals };
}

/** The positional argument a command cannot do without (its file), or a usage error saying so. */
export function requirePositional(args: ParsedArgs, missing: string): string {
  const value = args.positionals[0];
  if (!value) throw usageError(missing);
  return value;
}

/**
 * Parses a number the way users write addresses and sizes: 0x8000, 8000h, 32768, 8k, 8K,
 * 1KB, 0b101. Returns undefined for anything else (the caller words the error).
 */
export function parseNumber(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  let m = /^0x([0-9a-f]+)$/.exec(t);
  if (m) return parseInt(m[1], 16);
  m = /^([0-9a-f]+)h$/.exec(t);
  if (m) return parseInt(m[1], 16);
  m = /^0b([01]+)$/.exec(t);
  if (m) return parseInt(m[1], 2);
  m = /^(\d+)\s*(k|kb|kib)?$/.exec(t);
  if (m) return parseInt(m[1], 10) * (m[2] ? 1024 : 1);
  return undefined;
}

export function requireNumber(text: string, what: string): number {
  const n = parseNumber(text);
  if (n === undefined || !Number.isSafeInteger(n) || n < 0) {
    throw usageError(`${what} "${text}" is not a number`, 'Write numbers as decimal (32768), hex (0x8000) or with k (32k).');
  }
  return n;
}
