/**
 * One exchange through the proxy, from the request to the report: read the request, check it (before forwarding
 * with --strict, after the answer otherwise: the traffic first), forward it, answer itself when the upstream cannot,
 * check the answer, and put it all into an Exchange for the log and the recorder.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { BODY_LIMIT } from '../server/app.ts';
import type { RenderedAnswer } from '../server/render-error.ts';
import type { Checks } from './checks.ts';
import type { Exchange, Fate, Violation } from './exchange.ts';
import { forward, hopByHopOf, type Outcome, Tap, type Upstreams, withoutHeaders } from './forward.ts';
import type { AnswerSeen, RequestFindings, SeenRequest } from './inspect.ts';
import { BUFFER_LIMIT, clientHungUp, collect, hasBody, headerOf, headerRecord, writeRendered } from './messages.ts';
import { renderUpstreamError } from './upstream-error.ts';
import { vendorRequestView } from './vendor-request.ts';
import type { ProxyVendor } from './vendors.ts';

/** The most of an answer kept for its check and its recording; a longer one is streamed whole, checked no further. */
export const ANSWER_LIMIT = 8 * 1024 * 1024;

/** An exchange's bytes, for the recorder: the request as forwarded and the answer as the client got it. */
export interface ExchangeDetail {
  upstreamUrl: string;
  request: { method: string; httpVersion: string; headers: string[]; body: Tap };
  answer?: {
    status: number;
    statusMessage: string;
    headers: string[];
    body: Buffer;
    truncated: boolean;
    bytes: number;
  };
  waitMs?: number;
}

export interface FlightSettings {
  upstreams: Upstreams;
  checks: Checks;
  strict: boolean;
  timeoutMs: number;
}

/** The proxy's own answer, when it gives one: a --strict refusal, or an upstream that failed. */
interface OwnAnswer {
  answer: RenderedAnswer;
  fate: Fate;
  violation?: Violation;
}

export class Flight {
  readonly #settings: FlightSettings;
  readonly #vendor: ProxyVendor;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #id: number;
  readonly #at = new Date();
  readonly #started = performance.now();
  readonly #url: string;
  readonly #path: string;
  readonly #query: string;
  readonly #method: string;
  readonly #upstreamPath: string;
  readonly #headers: string[];
  /** The body's first bytes, one past the pipeline's limit: enough to check it, and to see it is over. */
  readonly #tap = new Tap(BODY_LIMIT + 1);
  readonly #bodied: boolean;
  #findings: RequestFindings | undefined;
  /** The answer's violations, and what of it could not be checked. */
  #answerViolations: Violation[] = [];
  #answerNotes: string[] = [];
  #outcome: Outcome = {};
  #own: OwnAnswer | undefined;

  constructor(
    settings: FlightSettings,
    vendor: ProxyVendor,
    id: number,
    exchange: { req: IncomingMessage; res: ServerResponse; url: string; path: string; query: string },
  ) {
    this.#settings = settings;
    this.#vendor = vendor;
    this.#id = id;
    this.#req = exchange.req;
    this.#res = exchange.res;
    this.#url = exchange.url;
    this.#path = exchange.path;
    this.#query = exchange.query;
    this.#method = exchange.req.method ?? 'GET';
    this.#upstreamPath = vendor.upstream.pathname.replace(/\/$/, '') + exchange.url.slice(vendor.prefix.length);
    const raw = exchange.req.rawHeaders;
    const drop = hopByHopOf(raw);
    this.#headers = [...withoutHeaders(raw, (n) => n === 'host' || drop(n)), 'host', vendor.upstream.host];
    this.#bodied = hasBody(exchange.req);
  }

  /** The exchange, start to end; resolves once it is over (never rejects for the traffic's sake). */
  async fly(): Promise<void> {
    const read = this.#bodied ? await collect(this.#req, this.#tap, BUFFER_LIMIT) : { body: null, aborted: false };
    if (read.aborted) this.#outcome = { error: clientHungUp() };
    else if (this.#settings.strict) {
      this.#findings = await this.#inspect();
      if (this.#findings.refusal) this.#refuse();
      else await this.#send(read.body);
      this.#settleFailure();
      await this.#inspectAnswer();
    } else {
      // The traffic first: both directions are checked once the answer is on its way back, in one go.
      await this.#send(read.body);
      this.#settleFailure();
      if (this.#outcome.error?.code !== 'CLIENT_ABORTED') await this.#inspectBoth();
    }
  }

  /** The answer as the checks see it, when there is one to check (else why not, in the notes). */
  #answerSeen(): AnswerSeen | undefined {
    const { answer, error } = this.#outcome;
    if (!answer || error || this.#method === 'HEAD') return undefined;
    if (answer.body.truncated) {
      this.#answerNotes.push(`the answer (${answer.body.bytes} bytes) is over ${ANSWER_LIMIT} bytes: not checked`);
      return undefined;
    }
    return {
      status: answer.status,
      contentType: headerOf(answer.headers, 'content-type'),
      headers: headerRecord(answer.headers),
      body: answer.body.buffer.toString('utf8'),
    };
  }

  async #inspectBoth(): Promise<void> {
    const answer = this.#answerSeen();
    try {
      const found = await this.#settings.checks.exchange(this.#vendor.name, this.#seen(), answer);
      this.#findings = found.request;
      this.#answerViolations = found.answer;
    } catch (error) {
      this.#findings = this.#unchecked(error as Error);
    }
  }

  async #send(body: Buffer | Readable | null): Promise<void> {
    const request = {
      origin: this.#vendor.upstream.origin,
      path: this.#upstreamPath,
      method: this.#method,
      headers: this.#headers,
      body,
    };
    this.#outcome = await forward(this.#settings.upstreams, request, { req: this.#req, res: this.#res }, ANSWER_LIMIT);
  }

  #seen(): SeenRequest {
    return {
      method: this.#method,
      path: this.#path,
      query: this.#query,
      headers: this.#req.headers,
      ...(this.#bodied ? { body: this.#tap.buffer } : {}),
    };
  }

  /** Findings for a request the checks could not take (a worker behind, a stack overflow): a note, never the traffic. */
  #unchecked(error: Error): RequestFindings {
    return {
      violations: [],
      fields: [],
      parts: { query: {}, params: {} },
      notes: [`the request could not be checked: ${error.message}`],
    };
  }

  /** The request's check alone (--strict, before forwarding). */
  async #inspect(): Promise<RequestFindings> {
    try {
      return await this.#settings.checks.request(this.#vendor.name, this.#seen());
    } catch (error) {
      return this.#unchecked(error as Error);
    }
  }

  /** The request as the vendor's module reads it, for the answers the proxy renders in the vendor's shape. */
  #view() {
    const f = this.#findings;
    return vendorRequestView({
      method: this.#method,
      url: this.#url,
      headers: this.#req.headers,
      query: f?.parts.query ?? {},
      params: (f?.parts.params ?? {}) as Record<string, string>,
      body: undefined,
      ...(this.#bodied ? { rawBody: this.#tap.buffer } : {}),
      ...(this.#req.socket?.remoteAddress ? { ip: this.#req.socket.remoteAddress } : {}),
    });
  }

  /** --strict: the pipeline's own answer to the request (the vendor's error, as the mock renders it); nothing forwarded. */
  #refuse(): void {
    const refusal = this.#findings?.refusal;
    if (!refusal) return;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(refusal.headers)) {
      if (value === undefined || ['content-length', 'connection', 'date', 'keep-alive'].includes(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const contentType = headers['content-type'] ?? 'application/json; charset=utf-8';
    delete headers['content-type'];
    this.#own = {
      answer: { status: refusal.status, headers, contentType, payload: Buffer.from(refusal.payload).toString('utf8') },
      fate: 'refused',
    };
    // Whatever of the body is still coming is read and dropped, so the client gets the answer.
    this.#req.resume();
    writeRendered(this.#res, this.#own.answer, 'refused: the request breaks the contract (--strict)');
  }

  /** An upstream that failed before its answer: 502 (unreachable) or 504 (too slow) in the vendor's shape. */
  #settleFailure(): void {
    const outcome = this.#outcome;
    // A client that hung up mid-body fails the upstream request too: the hang-up is the client's.
    const gone = this.#res.destroyed || this.#req.socket?.destroyed;
    if (outcome.error && !outcome.answer && outcome.error.code !== 'CLIENT_ABORTED' && gone)
      outcome.error = clientHungUp();
    const error = outcome.error;
    if (this.#own || !error || outcome.answer || error.code === 'CLIENT_ABORTED') return;
    const vendor = this.#vendor;
    const timedOut = /TIMEOUT/.test(error.code ?? '');
    const status = timedOut ? 504 : 502;
    const what = timedOut
      ? `${vendor.upstream.href} did not answer within ${this.#settings.timeoutMs / 1000} s (${error.code})`
      : `${vendor.upstream.href} did not answer: ${error.code ?? error.message}`;
    this.#own = {
      answer: renderUpstreamError(vendor, status, `the proxy answered ${status}: ${what}`, this.#view()),
      fate: timedOut ? 'timeout' : 'unreachable',
      violation: { side: 'answer', where: 'upstream', what: `${what}; the proxy answered ${status}` },
    };
    writeRendered(this.#res, this.#own.answer, timedOut ? 'upstream timed out' : 'upstream unreachable');
  }

  /** The answer's check alone (--strict, once the answer is complete). */
  async #inspectAnswer(): Promise<void> {
    const operation = this.#findings?.operation;
    const answer = this.#answerSeen();
    if (!answer || !operation) return;
    try {
      this.#answerViolations = await this.#settings.checks.answer(this.#vendor.name, operation, answer);
    } catch (error) {
      this.#answerNotes.push(`the answer could not be checked: ${(error as Error).message}`);
    }
  }

  /** What became of it: the fate, the violations both ways, the notes. */
  exchange(): Exchange {
    const { answer, error } = this.#outcome;
    const findings = this.#findings;
    const violations: Violation[] = [...(findings?.violations ?? [])];
    const notes = [...(findings?.notes ?? [])];
    let fate: Fate = this.#own?.fate ?? 'answered';
    if (error?.code === 'CLIENT_ABORTED') {
      fate = 'client-aborted';
      notes.push(answer ? 'the client hung up before the answer was complete' : 'the client hung up before the answer');
    } else if (error && answer) {
      fate = 'upstream-aborted';
      const what = `the upstream cut the answer off after ${answer.body.bytes} bytes (${error.code ?? error.message})`;
      violations.push({ side: 'answer', where: 'body', what });
    }
    if (this.#own?.violation) violations.push(this.#own.violation);
    const operation = findings?.operation;
    violations.push(...this.#answerViolations);
    notes.push(...this.#answerNotes);
    const status = this.#own?.answer.status ?? answer?.status;
    return {
      id: this.#id,
      at: this.#at.toISOString(),
      durationMs: performance.now() - this.#started,
      vendor: this.#vendor.name,
      ...(operation ? { operation } : {}),
      method: this.#method,
      path: this.#url.slice(this.#vendor.prefix.length) || '/',
      ...(status !== undefined ? { status } : {}),
      fate,
      violations,
      notes,
      fields: findings?.fields ?? [],
    };
  }

  /** The bytes both ways, for the recorder. */
  detail(): ExchangeDetail {
    const own = this.#own?.answer;
    const answer = this.#outcome.answer;
    const written = own
      ? {
          status: own.status,
          statusMessage: '',
          headers: Object.entries({ ...own.headers, 'content-type': own.contentType }).flat(),
          body: Buffer.from(own.payload),
          truncated: false,
          bytes: Buffer.byteLength(own.payload),
        }
      : answer && {
          status: answer.status,
          statusMessage: answer.statusMessage,
          headers: answer.headers,
          body: answer.body.buffer,
          truncated: answer.body.truncated,
          bytes: answer.body.bytes,
        };
    return {
      upstreamUrl: this.#vendor.upstream.origin + this.#upstreamPath,
      request: {
        method: this.#method,
        httpVersion: `HTTP/${this.#req.httpVersion}`,
        headers: this.#headers,
        body: this.#tap,
      },
      ...(written ? { answer: written } : {}),
      ...(this.#outcome.waitMs !== undefined ? { waitMs: this.#outcome.waitMs } : {}),
    };
  }
}
