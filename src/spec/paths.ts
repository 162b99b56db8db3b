import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder, wherever the process was started from. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const specsDir = join(repoRoot, 'specs');
export const mocksDir = join(repoRoot, 'mocks');
export const redoclyConfigPath = join(repoRoot, 'redocly.yaml');
