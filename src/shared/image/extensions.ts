/**
 * The one table of firmware file extensions: which format each names, which of them
 * stm8flash itself knows, and which one a save uses. The readers (src/shared/image/format.ts),
 * the stm8flash mode, the app's dialogs and command line, and the renderer's open and save
 * all derive from it. No imports: the renderer bundles it as it is.
 */

/** The image formats, in one spelling everywhere (CLI JSON, the app's contract, the readers). */
export type ImageFormat = 'ihex' | 'srec' | 'bin' | 'elf';

export const IMAGE_FORMATS: readonly ImageFormat[] = ['ihex', 'srec', 'bin', 'elf'];

interface ExtensionEntry {
  ext: string;
  format: ImageFormat;
  /** stm8flash picks the format by this extension too (its main.c, compared case-sensitively). */
  stm8flash?: true;
  /** The extension a save in this format gets. */
  save?: true;
}

/**
 * .ihx is SDCC's output, .i86 and .s8 are stm8flash's spellings; .s19/.s28/.s37 say which
 * S1/S2/S3 data records a file uses (STVP saves .s19). .out/.axf are found by content:
 * stm8flash treats unknown extensions as binary.
 */
const EXTENSIONS: readonly ExtensionEntry[] = [
  { ext: '.hex', format: 'ihex', stm8flash: true, save: true },
  { ext: '.ihx', format: 'ihex', stm8flash: true },
  { ext: '.ihex', format: 'ihex' },
  { ext: '.i86', format: 'ihex', stm8flash: true },
  { ext: '.s19', format: 'srec', stm8flash: true, save: true },
  { ext: '.s28', format: 'srec' },
  { ext: '.s37', format: 'srec' },
  { ext: '.srec', format: 'srec', stm8flash: true },
  { ext: '.mot', format: 'srec' },
  { ext: '.s8', format: 'srec', stm8flash: true },
  { ext: '.sx', format: 'srec' },
  { ext: '.bin', format: 'bin', save: true },
  { ext: '.raw', format: 'bin' },
  { ext: '.elf', format: 'elf', save: true },
];

/** File extensions per format (with the dot, lower case). */
const extensionsOf = (f: ImageFormat): readonly string[] => EXTENSIONS.filter((e) => e.format === f).map((e) => e.ext);
export const FORMAT_EXTENSIONS: Readonly<Record<ImageFormat, readonly string[]>> = {
  ihex: extensionsOf('ihex'),
  srec: extensionsOf('srec'),
  bin: extensionsOf('bin'),
  elf: extensionsOf('elf'),
};

/** Every known extension, for an open dialog's filter (without dots) or an `accept` attribute. */
export const FIRMWARE_EXTENSIONS: readonly string[] = EXTENSIONS.map((e) => e.ext.slice(1));

/** The extension (without the dot) a file saved in this format gets. */
export function saveExtension(format: ImageFormat): string {
  return (EXTENSIONS.find((e) => e.format === format && e.save) as ExtensionEntry).ext.slice(1);
}

/** The format a file name's extension says (case-insensitive), or undefined when it says nothing we know. */
export function formatFromFileName(fileName: string): ImageFormat | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const ext = base.slice(dot).toLowerCase();
  return EXTENSIONS.find((e) => e.ext === ext)?.format;
}

/** The format exactly as stm8flash decides it: its extensions, case-sensitively; anything else is binary. */
export function stm8flashFormat(file: string): Exclude<ImageFormat, 'elf'> {
  const dot = file.lastIndexOf('.');
  const ext = dot >= 0 ? file.slice(dot) : '';
  const known = EXTENSIONS.find((e) => e.stm8flash && e.ext === ext)?.format;
  return known === 'ihex' || known === 'srec' ? known : 'bin';
}
