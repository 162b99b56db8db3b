/** One exchange through the proxy, as the reports and the live log see it. */

/** One place where a side breaks the contract: where (`body.subject`, `query.action`, `status`) and what. */
export interface Violation {
  side: 'request' | 'answer';
  where: string;
  what: string;
  /** The `x-rules` id the failure breaks, where the spec links it (a schema keyword at a field). */
  rule?: string;
}

/**
 * What became of the exchange: forwarded and answered by the upstream; refused by the proxy itself (--strict);
 * the upstream unreachable (502) or too slow (504); the client or the upstream hanging up before the end.
 */
export type Fate = 'answered' | 'refused' | 'unreachable' | 'timeout' | 'client-aborted' | 'upstream-aborted';

export interface Exchange {
  /** 1, 2, … in the order requests arrived. */
  id: number;
  /** When the request arrived (ISO 8601). */
  at: string;
  durationMs: number;
  vendor: string;
  /** The operationId, an iVvy action by name; undefined when the request is no operation of the spec. */
  operation?: string;
  method: string;
  /** The vendor's own path and query, as sent (without our prefix). */
  path: string;
  /** The status the client got (the upstream's, or the proxy's own). */
  status?: number;
  fate: Fate;
  violations: Violation[];
  /** What was not checked and why (a body over the limit, an answer cut off). */
  notes: string[];
  /** Top-level request body fields sent, for field coverage. */
  fields: string[];
}

/** The live log line of a violation: time, vendor and operation, request or answer, where, what. */
export function violationLine(exchange: Exchange, v: Violation): string {
  const operation = exchange.operation ?? `${exchange.method} ${exchange.path.split('?')[0]}`;
  return `${exchange.at} ${exchange.vendor} ${operation} ${v.side} ${v.where}: ${v.what}${v.rule ? ` [${v.rule}]` : ''}`;
}
