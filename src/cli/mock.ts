#!/usr/bin/env node
/** `npm run mock`: the Prism mock of every vendor's spec under its prefix on one port (4010 unless told otherwise). */
import { enableCompileCache } from 'node:module';

// As the sandbox (src/cli/sandbox.ts): compiled code and stripped TypeScript cached on disk for the next start.
enableCompileCache();
const { defaultPorts, helpText, loadConfig } = await import('../config.ts');

/** The mock's own switches, besides the shared `--host`/`--port` (src/config.ts): each a flag and a variable. */
const switches = {
  verbose: { env: 'MOCK_VERBOSE', description: "Prism's own log lines and one line per request, on stderr" },
  strict: {
    env: 'MOCK_STRICT',
    description: "invalid requests (and responses) answer problem+json listing every violation (Prism's --errors)",
  },
} as const;

const args = process.argv.slice(2);
if (args.includes('--help')) {
  const lines = Object.entries(switches).map(
    ([flag, s]) => `  ${`--${flag}`.padEnd(22)} ${`${s.env}=1`.padEnd(18)} ${s.description} (default off)`,
  );
  const text = helpText(
    'npm run mock --',
    'The Prism mock: Odyssee, iVvy and R7-Office task APIs answered from their specs, without state.',
    ['host', 'port'],
    { port: defaultPorts.mock },
  );
  process.stdout.write(text.replace('\n  --help', `\n${lines.join('\n')}\n  --help`));
  process.exit(0);
}

const on = (name: keyof typeof switches) =>
  args.includes(`--${name}`) || ['1', 'true'].includes(process.env[switches[name].env] ?? '');

try {
  const rest = args.filter((a) => !Object.keys(switches).some((name) => a === `--${name}`));
  const config = loadConfig(rest, process.env, { port: defaultPorts.mock });
  const started = performance.now();
  // Loaded here, not at the top: `--help` and a bad flag answer without loading Prism and the specs.
  const { startMock } = await import('../mock/index.ts');
  const { registry } = await import('../vendors/index.ts');
  const mock = await startMock({
    vendors: registry,
    host: config.host,
    port: config.port,
    verbose: on('verbose'),
    strict: on('strict'),
  });
  for (const warning of mock.warnings) console.warn(`mock: ${warning}`);
  const bases = Object.entries(mock.bases).map(([name, url]) => `${name} ${url}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`mock ready in ${seconds} s: ${bases.join(', ')}${on('strict') ? ' (strict)' : ''}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void mock.close().then(() => process.exit(0));
    });
  }
} catch (error) {
  console.error(`mock: not started: ${(error as Error).message}`);
  process.exit(1);
}
