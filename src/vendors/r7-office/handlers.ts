import type { Handler } from '../../server/vendor-module.ts';

export const handlers: Record<string, Handler> = {};
