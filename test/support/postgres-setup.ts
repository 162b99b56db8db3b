/** Vitest setup of the `postgres` project: every schema a test file created in the test database is dropped at its end. */
import { afterAll } from 'vitest';
import { dropTestSchemas } from './store.ts';

afterAll(() => dropTestSchemas());
