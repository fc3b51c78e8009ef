/** Probe variants the virtual probe offers (docs/spec/simulator.md §2): the simulator, the CLI and the app name them alike. */
export type VirtualVariant = 'stlinkv2' | 'stlinkv21' | 'stlinkv3' | 'stlinkv3minie';
export const VIRTUAL_VARIANTS: readonly VirtualVariant[] = ['stlinkv2', 'stlinkv21', 'stlinkv3', 'stlinkv3minie'];
