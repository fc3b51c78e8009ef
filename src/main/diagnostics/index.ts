/**
 * Connection diagnostics: a ladder of checks that names the cause and the fix.
 * Faces (CLI `diagnose`, the app through IPC) call runDiagnostics and render the report;
 * formatReportMarkdown gives the text users paste into forums and issues.
 */
export { runDiagnostics } from './ladder';
export type { LadderRunOptions } from './ladder';
export { formatReportMarkdown } from './markdown';
export { STEP_DEFINITIONS, initialSteps } from './steps';
export type { StepDefinition } from './steps';
export { FINDINGS, REQUIRED_FINDING_CODES, makeFinding } from './findings';
export type { FindingDefinition, FindingVars } from './findings';
export { FIELD_RULES } from './field-rules';
export type { FieldRule, RuleCoverage } from './field-rules';
export { stm8flashProgrammerFinding, stm8flashProgrammerFor, STM8FLASH_PROGRAMMER_PIDS } from './stm8flash-hint';
export { udevRuleText, udevInstallCommands, UDEV_RULE_FILE, UDEV_RULE_ASSET } from './udev';
export { identifyChip, partDifferences, readChipEvidence } from './chip-identity';
export type { ChipEvidence, ChipIdentity, ChipReader } from './chip-identity';
export type * from './types';
export { diagnosticsOptionsFor, toIpcReport } from './ipc-adapter';
