/**
 * The fields of a `multipart/form-data` body as ASP.NET's Request.Form holds them (System.Web MultipartFormParser):
 * each part's `Content-Disposition: form-data; name="…"` without a `filename`, its bytes decoded with the request's
 * encoding. Parts with a filename are files, not form values; a body without the boundary holds nothing.
 */
import type { TextDecoder } from 'node:util';
import { NameValueCollection } from './name-value-collection.ts';

function parameter(header: string, name: string): string | undefined {
  const pattern = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i');
  const m = pattern.exec(header);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseMultipart(body: Buffer, boundary: string, decoder: TextDecoder): NameValueCollection {
  const form = new NameValueCollection();
  for (const part of parts(body, Buffer.from(`--${boundary}`))) {
    const field = formField(part);
    if (field) form.add(field.name, decoder.decode(field.value));
  }
  return form;
}

/** The bytes of each part between the delimiters, without the CRLFs around them, up to the closing delimiter. */
function* parts(body: Buffer, delimiter: Buffer): Generator<Buffer> {
  // Each part starts after the previous delimiter, so the loop ends with the body.
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    let start = at + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) return; // the closing delimiter
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) return;
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    yield body.subarray(start, end);
    at = next;
  }
}

/** A part's form field: its `Content-Disposition` name and its bytes; undefined for a file or a part without a name. */
function formField(part: Buffer): { name: string; value: Buffer } | undefined {
  const split = part.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const headers = part.subarray(0, split).toString('utf8').split('\r\n');
  const disposition = headers.find((h) => /^content-disposition\s*:/i.test(h))?.replace(/^[^:]*:/, '') ?? '';
  const name = parameter(disposition, 'name');
  if (name === undefined || parameter(disposition, 'filename') !== undefined) return undefined;
  return { name, value: part.subarray(split + 4) };
}
