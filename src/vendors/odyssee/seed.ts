import type { SeedData } from '../../store/store.ts';

export function seed(): SeedData {
  return {};
}
