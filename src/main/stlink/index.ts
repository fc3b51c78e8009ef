/** Layer 2, the ST-LINK protocol: public surface. */
export { StlinkProbe } from './probe';
export type { ProbeIdentity, ProbeStats, StlinkOpenOptions, TargetVoltage } from './probe';
export { STLINK_PIDS, STLINK_VID, pidInfo } from './constants';
export type { PidInfo, ProbeVariant, StlinkMode } from './constants';
export { decodeVersion, formatVersion, formatVersionLine } from './version';
export type { StlinkVersion } from './version';
export { serialToHex, serialMatches } from './serial';
export type { TraceEntry } from './trace';
export type { SwimSpeed } from './swim-timing';
