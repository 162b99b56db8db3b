/**
 * The vitest run behind `npm run contract` (src/cli/contract.ts): only the target suite, which `npm test` never
 * collects. The CLI passes the target in CONTRACT_TARGET and its reporters; run by hand, vitest's own reporter.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/contract/target.contract.ts'],
    // A remote target may be slow; each request has its own 15 s timeout (src/contract/http.ts).
    testTimeout: 120_000,
    hookTimeout: 60_000,
    passWithNoTests: false,
  },
});
