/** `npm run sign`: the CLI partners check their signing code against, spawned as they would run it. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../src/spec/index.ts';

const cli = join(repoRoot, 'src', 'vendors', 'ivvy', 'sign-command.ts');
/** Runs the CLI with the sandbox credentials as defaults (no IVVY_API_KEY/IVVY_API_SECRET from the environment). */
const run = (...args: string[]) => {
  const env = { ...process.env };
  delete env.IVVY_API_KEY;
  delete env.IVVY_API_SECRET;
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
};

const vendorExample = ['--path', '/api/1.0/test?action=ping', '--secret', 'foo', '--ivvy-date', '2012-04-03 22:23:24'];

describe('sign CLI', () => {
  it("prints the headers of the vendor's known answer, the path's version signed and no X-Api-Version (as the SDK)", () => {
    const out = run(...vendorExample, '--key', 'some-key', '--body', '{"example":"body"}');
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toBe(
      [
        'Content-MD5: a09f600c77a6dbd947db24c61e8935ca',
        'Content-Type: application/json',
        'IVVY-Date: 2012-04-03 22:23:24',
        'X-Api-Authorization: IWS some-key:8c7a8f2bcd32aa06d9c4097653bee4106b64fe81',
        '',
      ].join('\n'),
    );
    expect(out.stderr).toContain(
      'posta09f600c77a6dbd947db24c61e8935caapplication/json/api/1.0/test?action=ping1.0ivvydate=2012-04-03 22:23:24',
    );
  });

  it("sends X-Api-Version when asked, as the vendor's signing example does, with the same signature", () => {
    const out = run(...vendorExample, '--key', 'some-key', '--body', '{"example":"body"}', '--api-version', '1.0');
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('X-Api-Version: 1.0\n');
    expect(out.stdout).toContain('X-Api-Authorization: IWS some-key:8c7a8f2bcd32aa06d9c4097653bee4106b64fe81\n');
  });

  it('reads the body byte for byte from --body-file and signs with the sandbox credentials by default', () => {
    const file = join(tmpdir(), `ivvy-sign-${process.pid}.json`);
    writeFileSync(
      file,
      '{\n"name": "Test Task API",\n"endDatetime": "2021-11-01 17:00:00",\n"status": 1,\n"assignedUserId": 1,\n"leadId": 2665\n}',
    );
    const out = run(
      '--path',
      '/api/1.0/crm?action=addOrUpdateTask',
      '--body-file',
      file,
      '--date',
      'Mon, 01 Nov 2021 09:00:00 UTC',
      '--json',
    );
    expect(out.status, out.stderr).toBe(0);
    const printed = JSON.parse(out.stdout) as { headers: Record<string, string>; stringToSign: string };
    expect(printed.headers).toEqual({
      'Content-MD5': '2e66fd4734273dfa77f4fd66c5a568cf',
      'Content-Type': 'application/json',
      Date: 'Mon, 01 Nov 2021 09:00:00 UTC',
      'X-Api-Authorization': 'IWS sandbox-key:a057cd070b750d5b4b47dbd8e98025cc37f718cb',
    });
  });

  it('prints its usage with --help', () => {
    const out = run('--help');
    expect(out.status).toBe(0);
    for (const flag of [
      '--method',
      '--path',
      '--body',
      '--body-file',
      '--key',
      '--secret',
      '--date',
      '--ivvy-date',
      '--content-type',
    ]) {
      expect(out.stdout).toContain(flag);
    }
  });

  it.each([
    ['no --path', []],
    ['an unknown flag', ['--path', '/api/1.0/crm', '--frobnicate']],
    ['both --body and --body-file', ['--path', '/api/1.0/crm', '--body', '{}', '--body-file', 'x.json']],
    ['a missing --body-file', ['--path', '/api/1.0/crm', '--body-file', join(tmpdir(), 'does-not-exist.json')]],
  ])('exits 2 with a message for %s', (_name, args) => {
    const out = run(...args);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/^sign: /);
    expect(out.stdout).toBe('');
  });
});
