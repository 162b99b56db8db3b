import { ivvyClient } from '../vendors/ivvy/client.ts';
import { odysseeClient } from '../vendors/odyssee/client.ts';
import { r7Client } from '../vendors/r7-office/client.ts';
import type { ClientAuth } from './client-auth.ts';

/** How a client authorises, per vendor (the folder names of specs/). */
export const clients: Readonly<Record<string, ClientAuth>> = {
  odyssee: odysseeClient,
  ivvy: ivvyClient,
  'r7-office': r7Client,
};
