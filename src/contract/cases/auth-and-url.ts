/** Negative cases that break the credential or the URL: no or a wrong credential, a malformed path, no such action. */
import { ruleForKeyword } from '../../spec/index.ts';
import { type Negative, type NegativeTarget, ruleOf, validRequest } from './negative-target.ts';
import { fillPath, withQuery } from './requests.ts';
import { malformedKeyword } from './schemas.ts';

/** Auth: the answer must be the vendor's (401 for a tampered credential). */
export function authNegatives(t: NegativeTarget): Negative[] {
  const { operation } = t.entry;
  if (operation.security?.length === 0 || (operation.security ?? t.doc.security ?? []).length === 0) return [];
  const request = validRequest(t);
  return [
    {
      suffix: 'auth-missing',
      title: 'refuses a request without credentials',
      step: { request, auth: 'none', expect: { kind: 'client-error' } },
    },
    {
      suffix: 'auth-wrong',
      title: 'refuses a request with a wrong credential',
      step: { request, auth: 'wrong', expect: { kind: 'client-error', status: 401 } },
    },
  ];
}

/** Path parameters of the wrong form, each with the rule of the keyword it fails. */
export function pathNegatives(t: NegativeTarget): Negative[] {
  const valid = validRequest(t);
  return t.entry.parameters
    .filter((p) => p.in === 'path')
    .map((p) => {
      const bad = fillPath(t.entry.path, { ...t.pathParams, [p.name]: 'not-valid' });
      const keyword = malformedKeyword(p.schema);
      return {
        suffix: `path-${p.name}-invalid`,
        title: `refuses a malformed path parameter ${p.name}`,
        step: {
          request: () => ({ ...valid(), path: withQuery(bad, t.query) }),
          auth: 'partner',
          expect: { kind: 'client-error' },
        },
        extra: ruleOf(keyword ? ruleForKeyword(t.rules, keyword, p.name) : undefined),
      };
    });
}

/** An action the API does not have, once per operation with actions (on its first). */
export function unknownActionNegatives(t: NegativeTarget): Negative[] {
  if (t.actions.length === 0 || t.name !== t.actions[0]) return [];
  const valid = validRequest(t);
  return [
    {
      suffix: 'unknown-action',
      title: 'refuses an action the API does not have',
      step: {
        request: () => ({
          ...valid(),
          path: withQuery(fillPath(t.entry.path, t.pathParams), { action: 'noSuchAction' }),
        }),
        auth: 'partner',
        expect: { kind: 'client-error' },
      },
    },
  ];
}
