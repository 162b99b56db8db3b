export { undescribedKeys } from './coverage.ts';
export { generatedVendorOf } from './generated.ts';
export { deref, isRef, loadAllSpecs, loadSpec, resolvePointer } from './load.ts';
export {
  findOperation,
  type Located,
  mediaExamples,
  operationPointer,
  requestMedia,
  requestSchemaPointer,
  response,
  responseSchemaPointer,
  successStatuses,
} from './locate.ts';
export { listActions, listOperations, listRules, localPrefix, type OperationEntry } from './operations.ts';
export { mocksDir, repoRoot, specsDir } from './paths.ts';
export { keywordsOf, ruleForGroup, ruleForKeyword } from './rule-links.ts';
export { listSamples, type Sample, type SampleManifest } from './samples.ts';
export type * from './types.ts';
export { ruleKeywords } from './types.ts';
export { pointerSegment, SpecValidator } from './validator.ts';
export { parameterSchema } from './validator-plan.ts';
export { type Vendor, vendor, vendors } from './vendors.ts';
