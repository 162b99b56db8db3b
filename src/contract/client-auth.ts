/**
 * How a client authorises a request to a vendor API, as a partner's code would: each vendor folder exports one
 * `ClientAuth` (src/vendors/<vendor>/client.ts). The contract suite and the sample replays use them against any
 * target; their defaults are the sandbox credentials (src/config.ts).
 */
export interface ClientRequest {
  method: string;
  /** The vendor's own path and query, without any local prefix: `/api/1.0/crm?action=addOrUpdateTask`. */
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

export interface ClientTarget {
  /** Where the vendor's own paths are appended: `http://127.0.0.1:3000/r7` or `https://portal.example`. */
  baseUrl: string;
  /** Credential overrides (vendor-specific keys, e.g. `user`, `password`, `apiKey`, `apiSecret`). */
  credentials?: Record<string, string>;
}

export interface ClientAuth {
  /** Headers that authorise this request (may call the target first, e.g. R7-Office's token endpoint). */
  authorize(request: ClientRequest, target: ClientTarget): Promise<Record<string, string>>;
  /**
   * The credentials of partner `name` of our sandbox, derived from `credentials` (the sandbox's by default) by the
   * sandbox's partner convention for this vendor (a `+name` suffix on the user or key): another tenant with its own
   * data, the same secrets. Meaningless at a vendor's host, where the suffix breaks the credentials.
   */
  partner(name: string, credentials?: Record<string, string>): Record<string, string>;
  /** Credentials of a second, distinct sandbox partner, for isolation tests: `partner('partner2')`. */
  readonly otherPartner: Record<string, string>;
}
