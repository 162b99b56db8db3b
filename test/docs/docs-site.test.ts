/**
 * Builds the docs site (`npm run docs`) and opens it in headless Chromium with no network: every documented
 * operation must be rendered with its summary and a field name from its sample; one screenshot per vendor is kept
 * in reports/docs/ as a test artifact.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faithfulness } from '../../src/spec/evidence.ts';
import {
  deref,
  findOperation,
  listOperations,
  listSamples,
  loadSpec,
  type MediaTypeObject,
  type OpenApiDocument,
  repoRoot,
  response,
  successStatuses,
  vendors,
} from '../../src/spec/index.ts';
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

/** For an operation without a sample: the first property of its first success response's schema. */
function fieldFromSchema(doc: OpenApiDocument, operationId: string): string | undefined {
  const located = findOperation(doc, operationId);
  if (!located) return undefined;
  for (const status of successStatuses(located)) {
    const found = response(doc, located, status);
    for (const media of Object.values<MediaTypeObject>(found?.response.content ?? {})) {
      const schema = deref<Record<string, unknown>>(doc, (media.schema ?? {}) as Record<string, unknown>);
      const branches = ['allOf', 'anyOf', 'oneOf'].flatMap(
        (k) => (schema[k] as Record<string, unknown>[] | undefined) ?? [],
      );
      const parts = [schema, ...branches].map((s) => deref<Record<string, unknown>>(doc, s));
      const props = parts.map((s) => s.properties as Record<string, unknown> | undefined).find(Boolean);
      if (props) return Object.keys(props)[0];
    }
  }
  return undefined;
}

/** Aborts every off-site request of `page`; returns the list of those that were not images (Redoc's badge). */
async function offline(page: Page): Promise<string[]> {
  const offsite: string[] = [];
  await page.route('**/*', (route) => {
    const request = route.request();
    if (request.url().startsWith(baseUrl) || !/^https?:/.test(request.url())) return route.continue();
    if (request.resourceType() !== 'image') offsite.push(`${request.resourceType()} ${request.url()}`);
    return route.abort();
  });
  return offsite;
}

/** The rendered section of an operation shows its summary, a field of its sample or schema, and its rules. */
function expectOperationShown(
  doc: OpenApiDocument,
  name: string,
  op: ReturnType<typeof listOperations>[number],
  text: string,
): void {
  expect(text, op.operationId).toContain(op.operation.summary);
  const actions = Object.keys(op.operation['x-actions'] ?? {});
  const field = fieldFromSample(name, op.operationId, actions) ?? fieldFromSchema(doc, op.operationId);
  expect(field, `${op.operationId} has a field to look for`).toBeDefined();
  expect(text, `${op.operationId} shows ${field}`).toContain(field);
  // Its rules, each with the evidence it rests on (src/docs/evidence-markdown.ts).
  const rules = [
    ...(op.operation['x-rules'] ?? []),
    ...Object.values(op.operation['x-actions'] ?? {}).flatMap((a) => a['x-rules'] ?? []),
  ];
  for (const rule of rules) expect(text, `${op.operationId} shows rule ${rule.id}`).toContain(rule.id);
  if (rules.length > 0) expect(text, `${op.operationId} shows its rules' evidence`).toContain('Evidence:');
}

let server: Server;
let baseUrl: string;
let browser: Browser;

// Chromium comes from Debian's package, which .ci/run installs. Without it the suite cannot run: it is skipped on a
// developer's machine that lacks it (saying so), and fails under CI (CI=true), where a missing browser is a broken
// install.
const skip = !hasChromium && !process.env.CI;
if (skip)
  console.warn(
    "docs site: skipped, no Chromium here (/usr/bin/chromium). Install Debian's `chromium` package to run it; CI does.",
  );
describe.skipIf(skip)('docs site', () => {
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

  it.each(vendors.map((v) => [v.name] as const))(
    "links %s's page of what rests on no evidence, with the counts the README gives",
    async (name) => {
      const doc = await loadSpec(name);
      const f = faithfulness(doc);
      const page = await browser.newPage();
      await page.goto(baseUrl);
      await page.locator(`a[href="${name}-careful.html"]`).click();
      const counts = ((await page.locator('#counts').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(counts).toContain(`Rules with a source: ${f.rules.sourced} of ${f.rules.total}`);
      expect(counts).toContain(`Choices with a source: ${f.choices.sourced} of ${f.choices.total}`);
      expect(await page.locator('table tr').count()).toBe(f.unsupported.length + 1);
      for (const s of f.unsupported.slice(0, 5)) expect(await page.locator('body').textContent()).toContain(s.subject);
      await page.close();
    },
    60_000,
  );

  it.each(vendors.map((v) => [v.name] as const))(
    'renders every operation of %s',
    async (name) => {
      const doc = await loadSpec(name);
      expect(existsSync(join(docsDir, `${name}.html`))).toBe(true);
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      // No network: every off-site request is aborted. The pages must render regardless; the only thing allowed to
      // try is Redoc's "API docs by" badge image, which hides itself when it cannot load.
      const offsite = await offline(page);
      const operations = listOperations(doc);
      expect(operations.length).toBeGreaterThan(0);
      for (const op of operations) {
        // Redoc answers the classic `#operation/<operationId>` link by routing to `#/<tag>/<operationid>`.
        await page.goto('about:blank');
        await page.goto(`${baseUrl}${name}.html#operation/${op.operationId}`);
        const id = op.operationId.toLowerCase();
        // `/<tag>/<operationid>`; not a tag section that happens to share the name (iVvy's tag and operation: crm).
        const section = page.locator(`[data-section-id$="/${id}"]:not([data-section-id="/${id}"])`).first();
        await section.waitFor({ state: 'visible', timeout: 15_000 });
        const text = ((await section.textContent()) ?? '').replace(/\s+/g, ' ');
        expectOperationShown(doc, name, op, text);
        if (op === operations[0]) await page.screenshot({ path: join(shotsDir, `${name}.png`) });
      }
      expect(offsite, 'the page needs nothing from the network').toEqual([]);
      await page.close();
    },
    180_000,
  );
});
