/**
 * `--record <dir>`: the exchanges as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), credentials redacted
 * (redact.ts). Each entry also carries the proxy's findings (`_vendor`, `_operation`, `_fate`, `_violations`, HAR's
 * custom fields start with `_`). A file holds at most `perFile` entries; each is rewritten whole (atomically) on
 * every flush, and a full one is closed and a new one begun, so memory stays bounded on a long run.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exchange } from './exchange.ts';
import type { ExchangeDetail } from './flight.ts';
import { Redactor } from './redact.ts';
import type { ProxyVendor } from './vendors.ts';

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: never[];
    headers: { name: string; value: string }[];
    queryString: { name: string; value: string }[];
    postData?: { mimeType: string; text: string; comment?: string };
    headersSize: -1;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: never[];
    headers: { name: string; value: string }[];
    content: { size: number; mimeType: string; text?: string; encoding?: 'base64'; comment?: string };
    redirectURL: '';
    headersSize: -1;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  _vendor: string;
  _operation?: string;
  _fate: string;
  _violations: Exchange['violations'];
  /** What redaction changed, so an example made from the entry is not taken for the bytes sent. */
  _redacted?: ('request body' | 'answer body')[];
}

const header = (headers: readonly string[], name: string) => {
  for (let i = 0; i + 1 < headers.length; i += 2)
    if ((headers[i] as string).toLowerCase() === name) return headers[i + 1];
  return undefined;
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** A body as HAR text: UTF-8 as it is, anything else base64. */
function asText(bytes: Buffer): { text: string; encoding?: 'base64' } {
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { text: bytes.toString('base64'), encoding: 'base64' };
  }
}

/** A body as HAR text, its credentials redacted (a base64 body is left as it is: no credential is found in it). */
function redactedText(redact: Redactor, mimeType: string, bytes: Buffer) {
  const raw = asText(bytes);
  const body = raw.encoding ? { text: raw.text, changed: false } : redact.body(mimeType, raw.text);
  return { ...raw, text: body.text, changed: body.changed };
}

/** The request body as HAR's `postData`; a body cut at the recording limit says so in its comment. */
function harPostData(
  redact: Redactor,
  request: ExchangeDetail['request'],
  redacted: string[],
): HarEntry['request']['postData'] {
  const mimeType = header(request.headers, 'content-type') ?? '';
  const body = redactedText(redact, mimeType, request.body.buffer);
  if (body.changed) redacted.push('request body');
  return {
    mimeType,
    text: body.text,
    ...(body.encoding ? { comment: 'base64: not UTF-8' } : {}),
    ...(request.body.truncated ? { comment: `the first ${request.body.limit} of ${request.body.bytes} bytes` } : {}),
  };
}

/** The answer body as HAR's `content`; a body cut at the recording limit says so in its comment. */
function harContent(
  redact: Redactor,
  answer: NonNullable<ExchangeDetail['answer']>,
  redacted: string[],
): HarEntry['response']['content'] {
  const mimeType = header(answer.headers, 'content-type') ?? '';
  const body = redactedText(redact, mimeType, answer.body);
  if (body.changed) redacted.push('answer body');
  return {
    size: answer.bytes,
    mimeType,
    text: body.text,
    ...(body.encoding ? { encoding: 'base64' as const } : {}),
    ...(answer.truncated ? { comment: `the first ${answer.body.length} of ${answer.bytes} bytes` } : {}),
  };
}

/** One exchange as a HAR entry, credentials redacted. */
export function harEntry(vendor: ProxyVendor, exchange: Exchange, detail: ExchangeDetail): HarEntry {
  const redact = new Redactor(vendor);
  const url = redact.url(detail.upstreamUrl);
  const query = new URL(url).searchParams;
  const redacted: NonNullable<HarEntry['_redacted']> = [];
  const postData = detail.request.body.bytes > 0 ? harPostData(redact, detail.request, redacted) : undefined;
  const answer = detail.answer;
  const content = answer ? harContent(redact, answer, redacted) : { size: 0, mimeType: '' };
  const wait = detail.waitMs ?? exchange.durationMs;
  return {
    startedDateTime: exchange.at,
    time: exchange.durationMs,
    request: {
      method: detail.request.method,
      url,
      httpVersion: detail.request.httpVersion,
      cookies: [],
      headers: redact.headers(detail.request.headers),
      queryString: [...query].map(([name, value]) => ({ name, value })),
      ...(postData ? { postData } : {}),
      headersSize: -1,
      bodySize: detail.request.body.bytes,
    },
    response: {
      status: answer?.status ?? 0,
      statusText: answer?.statusMessage ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: answer ? redact.headers(answer.headers) : [],
      content,
      redirectURL: '',
      headersSize: -1,
      bodySize: answer?.bytes ?? 0,
    },
    cache: {},
    timings: { send: 0, wait, receive: Math.max(0, exchange.durationMs - wait) },
    _vendor: exchange.vendor,
    ...(exchange.operation ? { _operation: exchange.operation } : {}),
    _fate: exchange.fate,
    _violations: exchange.violations,
    ...(redacted.length ? { _redacted: redacted } : {}),
  };
}

export class HarRecorder {
  readonly dir: string;
  readonly #perFile: number;
  readonly #stamp: string;
  #entries: HarEntry[] = [];
  #file = 1;
  #dirty = false;
  readonly files: string[] = [];

  constructor(dir: string, perFile = 500) {
    this.dir = dir;
    this.#perFile = perFile;
    this.#stamp = new Date().toISOString().replace(/[:.]/g, '-');
    mkdirSync(dir, { recursive: true });
  }

  add(entry: HarEntry): void {
    this.#entries.push(entry);
    this.#dirty = true;
    if (this.#entries.length >= this.#perFile) {
      this.flush();
      this.#entries = [];
      this.#file++;
    }
  }

  /** Writes the current file, if anything changed; returns its path. */
  flush(): string | undefined {
    if (!this.#dirty) return undefined;
    const path = join(this.dir, `proxy-${this.#stamp}-${String(this.#file).padStart(3, '0')}.har`);
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'vendor-task-api-contracts proxy', version: '0.1.0' },
        pages: [],
        entries: this.#entries,
        comment: 'Recorded by npm run proxy --record; credentials redacted.',
      },
    };
    writeFileSync(`${path}.tmp`, `${JSON.stringify(har, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
    if (!this.files.includes(path)) this.files.push(path);
    this.#dirty = false;
    return path;
  }
}
