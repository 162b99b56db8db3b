/**
 * Content negotiation with jshttp's `negotiator` (what Express and Fastify's @fastify/accepts use): the offered media
 * type `Accept` rates highest, ties in the spec's order, `q=0` excluding one (RFC 9110 §12.5.1).
 */
import Negotiator from 'negotiator';

/** Picks the response media type: the offered one `Accept` rates highest (ties: the spec's order). */
export function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (offered.length === 0) return undefined;
  if (!accept || accept.trim() === '') return offered[0];
  return new Negotiator({ headers: { accept } }).mediaType([...offered]);
}
