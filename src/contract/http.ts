/** One HTTP exchange of the contract suite, and how to reproduce it by hand. */
export interface ContractRequest {
  method: string;
  /** The vendor's own path and query (`/api/Task(f7d8…)`), appended to the target's base URL. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
}

export interface ContractResponse {
  status: number;
  contentType: string | undefined;
  /** Every header of the answer, names in lower case. */
  headers: Record<string, string>;
  body: string;
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** A ready-to-run curl command for a request (bodies over 4 KiB are produced by a shell command, not inlined). */
export function curlCommand(baseUrl: string, req: ContractRequest): string {
  const parts = ['curl', '-sS', '-i', '-X', req.method, quote(baseUrl + req.path)];
  for (const [name, value] of Object.entries(req.headers)) parts.push('-H', quote(`${name}: ${value}`));
  if (req.body !== undefined) {
    const text = typeof req.body === 'string' ? req.body : req.body.toString('utf8');
    if (text.length > 4096) parts.push('--data-binary', `@<(head -c ${text.length} /dev/zero | tr '\\0' 'x')`);
    else parts.push('--data-binary', quote(text));
  }
  return parts.join(' ');
}

/** Sends a request with fetch; never throws for an HTTP status, only for a network failure. */
export async function send(baseUrl: string, req: ContractRequest, timeoutMs = 15_000): Promise<ContractResponse> {
  const init: RequestInit = { method: req.method, headers: req.headers, signal: AbortSignal.timeout(timeoutMs) };
  if (req.body !== undefined) init.body = typeof req.body === 'string' ? req.body : new Uint8Array(req.body);
  const res = await fetch(baseUrl + req.path, init);
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? undefined,
    headers: Object.fromEntries(res.headers),
    body: await res.text(),
  };
}
