#!/usr/bin/env node
/**
 * `npm run mock`: the Prism mock of every vendor's spec under its prefix on one port (4010 unless told otherwise).
 * It stops gracefully on SIGTERM or SIGINT as the sandbox does (src/server/lifecycle.ts); `npm run mock` runs it with
 * `exec`, so the signal a container runtime sends the npm process reaches it.
 */
import { enableCompileCache } from 'node:module';

// As the sandbox (src/cli/sandbox.ts): compiled code and stripped TypeScript cached on disk for the next start.
enableCompileCache();
const { configFrom, defaultPorts, settingFlags } = await import('../config.ts');
const { stopOnSignals } = await import('../server/lifecycle.ts');
const { runCommand } = await import('./command.ts');

const base = { port: defaultPorts.mock };

await runCommand(
  'mock',
  {
    name: 'npm run mock --',
    summary: 'The mock: every vendor’s task API answered from its spec’s examples (Prism), without state.',
    flags: {
      ...settingFlags(['host', 'port', 'shutdownTimeout'], base),
      verbose: {
        type: 'boolean',
        env: 'MOCK_VERBOSE',
        description: "Prism's own log lines and one line per request, on stderr",
        default: false,
      },
      strict: {
        type: 'boolean',
        env: 'MOCK_STRICT',
        description: "invalid requests (and responses) answer problem+json listing every violation (Prism's --errors)",
        default: false,
      },
    },
  },
  async (values) => {
    const config = configFrom(values, base);
    const started = performance.now();
    // Loaded here, not at the top: `--help` and a bad flag answer without loading Prism and the specs.
    const { startMock } = await import('../mock/index.ts');
    const { registry } = await import('../vendors/index.ts');
    const strict = values.strict === true;
    const mock = await startMock({
      vendors: registry,
      host: config.host,
      port: config.port,
      verbose: values.verbose === true,
      strict,
    });
    const log = (line: string) => process.stderr.write(`mock: ${line}\n`);
    stopOnSignals(mock, { drainMs: 0, timeoutMs: config.shutdownTimeout * 1000, log });
    for (const warning of mock.warnings) console.warn(`mock: ${warning}`);
    const bases = Object.entries(mock.bases).map(([name, url]) => `${name} ${url}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`mock ready in ${seconds} s: ${bases.join(', ')}${strict ? ' (strict)' : ''}`);
    return 0;
  },
);
