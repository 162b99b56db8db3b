/**
 * The contract cases, derived from the specs and the samples in mocks/ (nothing here names a field, path or code
 * of a vendor): every documented sample with the outcome its manifest expects (cases/samples.ts), and negative cases
 * generated per operation from its request schema (cases/negatives.ts), each naming the `x-rules` entry whose
 * `keyword` + `fields` cover what it breaks. Stateful flows are in flows.ts. This module is the case model.
 */
import type { ContractRequest } from './http.ts';

/**
 * What a case needs of its target beyond the contract itself. `rate-limit`: the target may be driven past its rate
 * limit (our sandbox; a vendor's host only when asked, `--rate-limit`): cases needing it are left out otherwise.
 */
export type Capability = 'state' | 'vendor-errors' | 'rate-limit';

export type Expectation =
  | { kind: 'status'; status: number }
  | { kind: 'client-error'; status?: number }
  | { kind: 'success' }
  /** A 2xx, or this status (a request that may already meet the vendor's rate limit). */
  | { kind: 'success-or'; status: number };

export interface CaseStep {
  /** The operationId (or iVvy action) whose responses the answer is checked against. */
  operation: string;
  request: (ctx: FlowContext) => ContractRequest;
  /** How to authorise: as the sandbox partner, as a second partner, not at all, or with a tampered credential. */
  auth: 'partner' | 'other-partner' | 'none' | 'wrong';
  expect: Expectation;
  /** Extra checks on the answer (a read-back must show the written value); returns problems. */
  verify?: (body: unknown, ctx: FlowContext) => string[];
  /** Extra checks on the answer's headers (names in lower case); returns problems. */
  verifyHeaders?: (headers: Record<string, string>) => string[];
  /** Values to keep for later steps (an id the target chose). */
  capture?: (body: unknown, ctx: FlowContext) => void;
}

export type FlowContext = Record<string, unknown>;

export interface ContractCase {
  id: string;
  vendor: string;
  /** The operation the case is about (operationId or action), for the report. */
  operation: string;
  kind: 'sample' | 'negative' | 'flow';
  title: string;
  /** x-rules id the case exercises, if any. */
  rule?: string;
  /** Fields of the request body the case exercises, for the coverage report. */
  fields: string[];
  /** What the target must offer for the case to apply; a stateless mock lacks both. */
  needs: Capability[];
  steps: CaseStep[];
}

export { negativeCases } from './cases/negatives.ts';
export { fillPath } from './cases/requests.ts';
export { sampleCases } from './cases/samples.ts';
export { flatten } from './cases/schemas.ts';
