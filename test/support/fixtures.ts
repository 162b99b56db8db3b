/**
 * Test fixtures (vitest's `test.extend`). `useSandbox()` gives the tests of a file a `sandbox` fixture: the sandbox
 * on the engine under test (test/support/sandbox.ts), started when a test (or a suite hook of this `it`) first asks
 * for it and closed when its scope ends. `per: 'file'` (the default) starts one for the whole file, which suits tests
 * that each write as their own partner; `per: 'test'` starts a fresh one for each test that asks, for tests that
 * need an empty store or a sandbox of their own settings.
 *
 * `useMock()` does the same for the mock (`mock`): its start-up is the heavy one (every vendor's spec, examples and
 * validators), so a file shares one unless a test needs other options.
 *
 * A test that asks for `sandbox` in its context gets the running sandbox; `it.for` (not `it.each`) passes the context
 * to table-driven tests. Rules and behaviour tests can send through `sandbox.app.inject` (no socket, no HTTP client);
 * tests about HTTP itself use `sandbox.origin` and `sandbox.base`.
 */
import { test } from 'vitest';
import type { Config } from '../../src/config.ts';
import type { MockOptions, RunningMock } from '../../src/mock/index.ts';
import { startTestMock } from './mock-client.ts';
import { type RunningSandbox, startSandbox } from './sandbox.ts';

export interface SandboxFixture {
  sandbox: RunningSandbox;
}

export interface MockFixture {
  mock: RunningMock;
}

export interface UseSandboxOptions {
  /** One sandbox (or mock) for the file (the default), or one for each test that asks for it. */
  per?: 'file' | 'test';
}

/** A fixture for `test.extend`: the function that starts, hands over and closes a server, and its scope. */
type FixtureTuple<T> = [
  (context: object, use: (value: T) => Promise<void>) => Promise<void>,
  { scope: 'file' | 'test' },
];

/** The `sandbox` fixture's definition, for `test.extend`. */
function sandboxFixture(overrides: Partial<Config>, per: 'file' | 'test'): FixtureTuple<RunningSandbox> {
  return [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
    async ({}, use: (sandbox: RunningSandbox) => Promise<void>) => {
      const sandbox = await startSandbox(overrides);
      try {
        await use(sandbox);
      } finally {
        await sandbox.close();
      }
    },
    { scope: per },
  ];
}

/** The `mock` fixture's definition, for `test.extend`. */
function mockFixture(options: Partial<MockOptions>, per: 'file' | 'test'): FixtureTuple<RunningMock> {
  return [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
    async ({}, use: (mock: RunningMock) => Promise<void>) => {
      const mock = await startTestMock(options);
      try {
        await use(mock);
      } finally {
        await mock.close();
      }
    },
    { scope: per },
  ];
}

/** `it` with a `sandbox` fixture started with `overrides` (see the module's comment). */
export function useSandbox(overrides: Partial<Config> = {}, { per = 'file' }: UseSandboxOptions = {}) {
  return test.extend<SandboxFixture>({ sandbox: sandboxFixture(overrides, per) });
}

/** `it` with a `mock` fixture started with `options`, one for the file unless `per: 'test'`. */
export function useMock(options: Partial<MockOptions> = {}, { per = 'file' }: UseSandboxOptions = {}) {
  return test.extend<MockFixture>({ mock: mockFixture(options, per) });
}

/** `it` with both, one of each for the file: for tests that hold the sandbox and the mock to the same answer. */
export function useSandboxAndMock() {
  return test.extend<SandboxFixture & MockFixture>({
    sandbox: sandboxFixture({}, 'file'),
    mock: mockFixture({}, 'file'),
  });
}
