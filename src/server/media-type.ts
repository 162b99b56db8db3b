/**
 * Media types, in one place for the sandbox, the mock and the contract suite: the media type of a Content-Type
 * header (its parameters cut, lower case), and whether it is XML or JSON.
 */

/** `application/json; charset=utf-8` → `application/json`; '' for none. */
export function mediaTypeOf(contentType: string | string[] | undefined): string {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** `application/xml`, `text/xml`, `application/atom+xml`. */
export const isXmlMediaType = (mediaType: string): boolean => /[/+]xml$/.test(mediaTypeOf(mediaType));

/** `application/json`, `text/json`, `application/problem+json`. */
export const isJsonMediaType = (mediaType: string): boolean => /[/+]json$/.test(mediaTypeOf(mediaType));
