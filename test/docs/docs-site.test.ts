/**
 * Builds the docs site (`npm run docs`) and opens it in headless Chromium with no network: every documented
 * operation must be rendered with its summary and a field name from its sample; one screenshot per vendor is kept
 * in reports/docs/ as a test artifact.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOperation, listOperations, listSamples, loadSpec, repoRoot, vendors } from '../../src/spec/index.ts';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import { serveFolder } from '../support/static-server.ts';

const docsDir = join(repoRoot, 'dist', 'docs');
const shotsDir = join(repoRoot, 'reports', 'docs');
const samples = listSamples();

/** A field the page must show for an operation: a top-level key of one of its JSON samples. */
function fieldFromSample(vendor: string, operationId: string, actions: string[]): string | undefined {
  const sample = samples.find(
    (s) => s.vendor === vendor && s.format === 'json' && [operationId, ...actions].includes(s.manifest.operation),
  );
  if (!sample) return undefined;
  return Object.keys(JSON.parse(sample.bytes.toString('utf8')) as object)[0];
}

let server: Server;
let baseUrl: string;
let browser: Browser;

// Chromium comes from Debian's package, which .ci/run installs. Without it the suite cannot run: it is skipped on a
// developer's machine that lacks it, and fails under CI (CI=true), where a missing browser is a broken install.
describe.skipIf(!hasChromium && !process.env.CI)('docs site', () => {
  beforeAll(async () => {
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-docs.ts')], { cwd: repoRoot, stdio: 'pipe' });
    ({ server, url: baseUrl } = await serveFolder(docsDir));
    browser = await launchChromium();
    mkdirSync(shotsDir, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('has an index linking every vendor page with the local base URLs and credentials', async () => {
    const page = await browser.newPage();
    await page.goto(baseUrl);
    const text = await page.locator('body').textContent();
    for (const v of vendors) expect(await page.locator(`a[href="${v.name}.html"]`).count()).toBe(1);
    expect(text).toContain('http://127.0.0.1:3000/odyssee');
    expect(text).toContain('http://127.0.0.1:4010/r7');
    expect(text).toContain('sandbox-secret');
    await page.close();
  });

  it.each(vendors.map((v) => [v.name] as const))('renders every operation of %s', async (name) => {
    const doc = await loadSpec(name);
    expect(existsSync(join(docsDir, `${name}.html`))).toBe(true);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(`${baseUrl}${name}.html`);
    for (const op of listOperations(doc)) {
      const section = page.locator(`[id="operation/${op.operationId}"]`);
      await section.scrollIntoViewIfNeeded();
      await expect.poll(() => section.count(), { message: op.operationId }).toBe(1);
      const text = ((await section.textContent()) ?? '').replace(/\s+/g, ' ');
      expect(text, op.operationId).toContain(op.operation.summary);
      const actions = Object.keys(op.operation['x-actions'] ?? {});
      const field = fieldFromSample(name, op.operationId, actions);
      if (field) expect(text, `${op.operationId} shows ${field}`).toContain(field);
      expect(findOperation(doc, op.operationId)).toBeDefined();
    }
    await page.screenshot({ path: join(shotsDir, `${name}.png`) });
    expect(failed.filter((u) => !u.startsWith(baseUrl))).toEqual([]);
    await page.close();
  });
});
