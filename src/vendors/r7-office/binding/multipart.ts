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
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    let start = at + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // the closing delimiter
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const part = body.subarray(start, end);
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = part.subarray(0, split).toString('utf8').split('\r\n');
      const disposition = headers.find((h) => /^content-disposition\s*:/i.test(h))?.replace(/^[^:]*:/, '') ?? '';
      const name = parameter(disposition, 'name');
      const filename = parameter(disposition, 'filename');
      if (name !== undefined && filename === undefined) form.add(name, decoder.decode(part.subarray(split + 4)));
    }
    at = next;
  }
  return form;
}
