import type { ImageFormat } from '#shared/ipc';

/** Native dialogs: present in Electron (src/main/app/dialogs.ts), absent in the bridge and tests. */
export interface DialogsPort {
  pickOpenPath(): Promise<string | null>;
  pickSavePath(suggestedName: string, format: Exclude<ImageFormat, 'elf'>): Promise<string | null>;
}
