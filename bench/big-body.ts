/**
 * A body over the servers' limit, sent the way most clients send one: Node's `fetch`, the whole body written before
 * the answer is read. Each try is the headline case's request, authorised by the vendor's client, with a 5 MB body;
 * the answer should be the vendor's 413 every time, never a broken pipe (src/server/framework-errors.ts).
 */
import { definitionOf } from '../src/vendors/index.ts';
import { baseHeaders, type PreparedCase } from './cases.ts';
import { mergeHeaders } from './load.ts';

export const BIG_BODY_BYTES = 5 * 1024 * 1024;
export const BIG_BODY_TRIES = 20;

export interface BigBodyResult {
  tries: number;
  /** How many tries got a 413. */
  refused: number;
  /** What the others got: a status or an error code, with their count (`EPIPE ×3`). */
  others: Record<string, number>;
}

export async function sendBigBodies(c: PreparedCase, base: string, tries = BIG_BODY_TRIES): Promise<BigBodyResult> {
  const body = new Uint8Array(BIG_BODY_BYTES).fill(0x20);
  const result: BigBodyResult = { tries, refused: 0, others: {} };
  for (let i = 0; i < tries; i++) {
    let outcome: string;
    try {
      const request = { method: c.method, path: c.path, headers: baseHeaders(c), body: Buffer.from(body) };
      const auth = await definitionOf(c.vendor).client.authorize(request, { baseUrl: base });
      const res = await fetch(base + c.path, {
        method: c.method,
        headers: mergeHeaders(baseHeaders(c), auth),
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      outcome = String(res.status);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      outcome = cause?.code ?? (error as Error).name;
    }
    if (outcome === '413') result.refused++;
    else result.others[outcome] = (result.others[outcome] ?? 0) + 1;
  }
  return result;
}
