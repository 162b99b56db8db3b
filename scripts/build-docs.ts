/**
 * `npm run docs`: a self-contained static site in dist/docs/: one Redoc page per vendor (Redoc inlined, no
 * network needed) and an index with the local base URLs, the sandbox credentials and the quick start.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../src/cli/command.ts';
import { defaultPorts } from '../src/config.ts';
import { carefulPage } from '../src/docs/careful-page.ts';
import { docsView } from '../src/docs/evidence-markdown.ts';
import { loadSpec, localPrefix, repoRoot } from '../src/spec/index.ts';
import { registry } from '../src/vendors/index.ts';

const outDir = join(repoRoot, 'dist', 'docs');
const redocly = join(repoRoot, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
await runCommand(
  'docs',
  {
    name: 'npm run docs --',
    summary:
      'Builds the docs site in dist/docs/: a Redoc page per vendor (offline, Redoc inlined), a page of its rules and choices with their evidence, and an index.',
    flags: {},
  },
  build,
);

async function build(): Promise<number> {
  await mkdir(outDir, { recursive: true });
  // The documents Redoc renders: each spec with its rules, choices and evidence written into the descriptions.
  const views = await mkdtemp(join(tmpdir(), 'docs-views-'));

  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows: string[] = [];
  const titles = new Map<string, string>();
  for (const v of registry) {
    const doc = await loadSpec(v.name, v.spec);
    titles.set(v.name, doc.info.title);
    const careful = `${v.name}-careful.html`;
    const view = join(views, `${v.name}.json`);
    await writeFile(view, JSON.stringify(docsView(doc, careful)));
    await writeFile(join(outDir, careful), carefulPage(v.name, doc));
    execFileSync(
      process.execPath,
      [
        redocly,
        'build-docs',
        view,
        '--inlineBundle', // Redoc inside the page: no CDN
        '--openapi.disableTelemetry=true', // and no traces sent from readers' browsers
        '--output',
        join(outDir, `${v.name}.html`),
        '--title',
        doc.info.title,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, REDOCLY_TELEMETRY: 'off' } },
    );
    const prefix = localPrefix(doc);
    rows.push(
      `<tr><td><a href="${v.name}.html">${esc(doc.info.title)}</a> (<a href="${careful}">where to be careful</a>)</td>` +
        `<td><code>http://127.0.0.1:${defaultPorts.sandbox}${prefix}</code></td>` +
        `<td><code>http://127.0.0.1:${defaultPorts.mock}${prefix}</code></td></tr>`,
    );
    console.log(`built dist/docs/${v.name}.html`);
  }

  /** Each vendor's sandbox account, from its definition's settings (src/vendors/<vendor>/settings.ts). */
  const credentials = registry
    .map((d) => {
      const parts = Object.values(d.settings).map((s) => `${esc(s.description)} <code>${esc(s.default)}</code>`);
      return `<li>${esc(titles.get(d.name) ?? d.name)}: ${parts.join(', ')} (how to send them: its API reference, Authentication)</li>`;
    })
    .join('\n');
  const index = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vendor task API contracts</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style></head>
<body>
<h1>Vendor task API contracts</h1>
<p>OpenAPI 3.1 descriptions of the task APIs of three vendors, as their own pages document them, with a stateful
reference sandbox and a Prism mock that serve all three locally.</p>
<h2>APIs</h2>
<table><tr><th>API reference</th><th>Sandbox (<code>npm start</code>)</th><th>Mock (<code>npm run mock</code>)</th></tr>
${rows.join('\n')}
</table>
<h2>Sandbox credentials</h2>
<ul>
${credentials}
</ul>
<h2>Quick start</h2>
<pre>npm ci &amp;&amp; npm start   # the reference sandbox on port ${defaultPorts.sandbox}
npm test               # lint, typecheck, generated types, all tests</pre>
</body></html>
`;
  await writeFile(join(outDir, 'index.html'), index);
  await rm(views, { recursive: true, force: true });
  console.log('built dist/docs/index.html');
  return 0;
}
