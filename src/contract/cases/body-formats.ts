/**
 * Negative cases that send a body the operation cannot read: malformed JSON or XML, XML declaring entities, a media
 * type it does not take, a body over the size limit.
 */

import { isXmlMediaType } from '../../server/media-type.ts';
import type { Expectation } from '../cases.ts';
import { jsonRequest, type Negative, type NegativeTarget } from './negative-target.ts';
import { contentHeaders } from './requests.ts';

const OVERSIZED_BYTES = 1024 * 1024 + 1;

/** What an unreadable body of a media type answers: the x-errors entry its media type names, else a 400. */
function malformedExpectation(t: NegativeTarget, mediaType: string): Expectation {
  const media = t.requestBody?.content[mediaType] as { 'x-malformed-error'?: string } | undefined;
  const key = media?.['x-malformed-error'];
  const status = key ? t.doc['x-errors']?.[key]?.status : undefined;
  if (status !== undefined && status >= 500) return { kind: 'status', status };
  return { kind: 'client-error', status: status ?? 400 };
}

/** A body of `mediaType` that cannot be read. */
function unreadable(t: NegativeTarget, suffix: string, title: string, mediaType: string, body: string): Negative {
  return {
    suffix,
    title,
    step: {
      request: () => ({ method: t.method, path: t.path, headers: contentHeaders(mediaType), body }),
      auth: 'partner',
      expect: malformedExpectation(t, mediaType),
    },
  };
}

/** Malformed XML and XML declaring entities, for an operation that takes XML. */
function xmlNegatives(t: NegativeTarget): Negative[] {
  const xmlType = Object.keys(t.requestBody?.content ?? {}).find(isXmlMediaType);
  if (!xmlType) return [];
  return [
    unreadable(t, 'malformed-xml', 'refuses malformed XML', xmlType, '<unclosed><a></unclosed>'),
    unreadable(
      t,
      'xml-entities',
      'refuses XML that declares entities',
      xmlType,
      '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
    ),
  ];
}

/** Only an operation that documents 415 refuses a media type: a vendor may read any body (R7-Office as a form). */
function wrongContentType(t: NegativeTarget): Negative[] {
  if (!t.entry.operation.responses['415']) return [];
  return [
    {
      suffix: 'wrong-content-type',
      title: 'refuses a body of a media type it does not take',
      step: {
        request: () => ({
          method: t.method,
          path: t.path,
          headers: { 'content-type': 'text/csv', accept: 'application/json' },
          body: 'a,b\n1,2',
        }),
        auth: 'partner',
        expect: { kind: 'client-error', status: 415 },
      },
    },
  ];
}

/** Every unreadable-body case of the target, in order: JSON, XML, media type, size. */
export function formatNegatives(t: NegativeTarget): Negative[] {
  const malformedJson = {
    suffix: 'malformed-json',
    title: 'refuses malformed JSON',
    step: {
      request: jsonRequest(t, '{"truncated": '),
      auth: 'partner',
      expect: malformedExpectation(t, 'application/json'),
    },
  } satisfies Negative;
  const oversized = {
    suffix: 'oversized',
    title: `refuses a body of ${OVERSIZED_BYTES} bytes`,
    step: {
      request: jsonRequest(t, `{"x": "${'x'.repeat(OVERSIZED_BYTES)}"}`),
      auth: 'partner',
      expect: { kind: 'client-error', status: 413 },
    },
  } satisfies Negative;
  return [malformedJson, ...xmlNegatives(t), ...wrongContentType(t), oversized];
}
