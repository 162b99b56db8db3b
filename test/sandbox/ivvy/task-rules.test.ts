/** The x-rules of addOrUpdateTask, accepted and refused (rule-cases.ts), and what adding a company contact stores. */
import { expect, it } from 'vitest';
import { credentials as ivvyCredentials } from '../../../src/vendors/ivvy/settings.ts';
import { config, exchange, partnerKey } from './helpers.ts';
import { describeRuleCases, end, useRulesSandbox } from './rule-cases.ts';
import { taskRuleCases } from './task-rule-cases.ts';

const env = useRulesSandbox();

describeRuleCases(taskRuleCases, env);

it('adding a company contact keeps the task readable and the contact a contact of the company', async () => {
  const apiKey = partnerKey('company-contact');
  const got = await exchange<{ id: number }>(env.base, 'addOrUpdateTask', {
    action: 'addOrUpdateTask',
    apiKey,
    body: JSON.stringify({ name: 'Joins', endDatetime: end, companyId: 855, contactId: 45219 }),
  });
  expect(got.status).toBe(200);
  const link = await env.sandbox.store.get(`ivvy:${apiKey}`, 'ivvy.companyContact', '855:45219');
  expect(link).toEqual({ id: '855:45219', companyId: 855, contactId: 45219 });
  expect(
    await env.sandbox.store.get(`ivvy:${ivvyCredentials(config).apiKey}`, 'ivvy.companyContact', '855:45219'),
  ).toBeUndefined();
});
