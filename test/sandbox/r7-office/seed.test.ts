/** The sandbox data (src/vendors/r7-office/sandbox-data.json) against the spec's own schemas. */
import { describe, expect, it } from 'vitest';
import { loadSpec, SpecValidator } from '../../../src/spec/index.ts';
import { normaliseDeadline } from '../../../src/vendors/r7-office/deadline.ts';
import { kinds } from '../../../src/vendors/r7-office/model.ts';
import { sandboxData, seed } from '../../../src/vendors/r7-office/seed.ts';

const validator = new SpecValidator('r7-office', await loadSpec('r7-office'));
const conforms = (schema: string, value: unknown) => {
  const validate = validator.at(`#/components/schemas/${schema}`);
  expect(validate(value), `${schema} ${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`).toBe(true);
};

describe('sandbox data', () => {
  it('holds what the page’s corrected sample and response sample name', () => {
    const data = seed();
    const ids = (kind: string) => (data[kind] ?? []).map((r) => r.id);
    expect(ids(kinds.task)).toContain(1234);
    expect(ids(kinds.category)).toEqual(expect.arrayContaining([1234, 30]));
    expect(ids(kinds.contact)).toContain(1234);
    expect(ids(kinds.opportunity)).toContain(1234);
    expect(ids(kinds.user)).toContain('9924256A-739C-462b-AF15-E652A3B1B6EB'.toLowerCase());
    expect(sandboxData.users.map((u) => u.displayName)).toContain('Mike Zanyatski');
    expect(sandboxData.categories.find((c) => c.id === 30)?.title).toBe('Appointment');
  });

  it.each(sandboxData.users.map((u) => [u.displayName, u] as const))(
    'user %s is a UserRef, id lower-case',
    (_n, user) => {
      conforms('UserRef', user);
      expect(user.id).toBe(user.id.toLowerCase());
    },
  );

  it.each(sandboxData.categories.map((c) => [c.title, c] as const))('category %s is a TaskCategory', (_n, category) =>
    conforms('TaskCategory', category),
  );

  it.each(sandboxData.contacts.map((c) => [c.displayName, c] as const))('contact %s is a ContactRef', (_n, contact) =>
    conforms('ContactRef', contact),
  );

  it.each(sandboxData.tasks.map((t) => [t.id, t] as const))(
    'task %i is a valid update, stored normalised',
    (_id, task) => {
      conforms('UpdateTaskRequest', task);
      expect(normaliseDeadline(task.deadline)).toBe(task.deadline);
      expect(normaliseDeadline(task.created)).toBe(task.created);
      expect(task.responsibleid).toBe(task.responsibleid.toLowerCase());
      expect(sandboxData.categories.map((c) => c.id)).toContain(task.categoryid);
      expect(sandboxData.users.map((u) => u.id)).toContain(task.createBy);
    },
  );
});
