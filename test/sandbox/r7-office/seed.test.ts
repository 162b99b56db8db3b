/** The sandbox data (src/vendors/r7-office/sandbox-data.json) against the spec's own schemas and the vendor's storage. */
import { describe, expect, it } from 'vitest';
import { loadSpec, SpecValidator } from '../../../src/spec/index.ts';
import { API_DATE_TIME_PATTERN } from '../../../src/vendors/r7-office/api-datetime.ts';
import { kinds } from '../../../src/vendors/r7-office/model.ts';
import { sandboxData, seed, taskIdFloor } from '../../../src/vendors/r7-office/seed.ts';
import { data } from './helpers.ts';

const validator = new SpecValidator('r7-office', await loadSpec('r7-office'));
const conforms = (schema: string, value: unknown) => {
  const validate = validator.at(`#/components/schemas/${schema}`);
  expect(validate(value), `${schema} ${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`).toBe(true);
};

describe('sandbox data', () => {
  it('holds what the page’s corrected sample and response sample name', () => {
    const d = seed();
    const ids = (kind: string) => (d[kind] ?? []).map((r) => r.id);
    expect(ids(kinds.task)).toContain(1234);
    expect(ids(kinds.category)).toEqual(expect.arrayContaining([1234, 30]));
    expect(ids(kinds.contact)).toContain(1234);
    expect(ids(kinds.opportunity)).toContain(1234);
    expect(ids(kinds.user)).toContain('9924256A-739C-462b-AF15-E652A3B1B6EB'.toLowerCase());
    expect(sandboxData.users.map((u) => u.displayName)).toContain('Mike Zanyatski');
    expect(sandboxData.categories.find((c) => c.id === 30)?.title).toBe('Appointment');
  });

  it('names the sandbox user, the vendor’s lost user and a task the sandbox user may not edit', () => {
    expect(sandboxData.caller).toBe(data.caller);
    expect(sandboxData.users.map((u) => u.id)).toContain(sandboxData.caller);
    expect(sandboxData.lostUser).toMatchObject({ id: data.lostUser, displayName: 'Profile has been removed' });
    const other = sandboxData.tasks.find((t) => t.id === data.notEditable);
    expect(other?.createBy).not.toBe(sandboxData.caller);
    expect(other?.responsibleid).not.toBe(sandboxData.caller);
    expect(taskIdFloor).toBe(Math.max(...sandboxData.tasks.map((t) => t.id)));
  });

  it.each(sandboxData.users.map((u) => [u.displayName, u] as const))(
    'user %s is a UserRef, id lower-case',
    (_n, user) => {
      conforms('UserRef', user);
      expect(user.id).toBe(user.id.toLowerCase());
    },
  );

  it('the lost user is a UserRef', () => conforms('UserRef', sandboxData.lostUser));

  it.each(sandboxData.categories.map((c) => [c.title, c] as const))('category %s is a TaskCategory', (_n, category) =>
    conforms('TaskCategory', category),
  );

  it.each(sandboxData.contacts.map((c) => [c.displayName, c] as const))('contact %s is a ContactRef', (_n, contact) =>
    conforms('ContactRef', contact),
  );

  it.each(sandboxData.tasks.map((t) => [t.id, t] as const))('task %i is a row as the vendor stores it', (_id, task) => {
    // Dates to the second (MySQL datetime), written as ApiDateTime writes them in the UTC portal.
    for (const date of [task.deadline, task.created]) {
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.0000000Z$/);
      expect(API_DATE_TIME_PATTERN.test(date)).toBe(true);
    }
    expect(task.title.length).toBeGreaterThan(0);
    expect(task.title.length).toBeLessThanOrEqual(255);
    expect(task.responsibleid).toBe(task.responsibleid.toLowerCase());
    expect(['opportunity', 'case', '']).toContain(task.entityType);
    expect(sandboxData.categories.map((c) => c.id)).toContain(task.categoryid);
    expect(sandboxData.users.map((u) => u.id)).toContain(task.createBy);
  });
});
