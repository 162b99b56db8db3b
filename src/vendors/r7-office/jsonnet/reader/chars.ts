/** The character classes the JSON text reader tests, as .NET's `char` methods answer them. */

/** `char.IsWhiteSpace`. */
export const isWhiteSpace = (c: string) => {
  const code = c.charCodeAt(0);
  return (
    c.length === 1 &&
    ((code >= 0x09 && code <= 0x0d) ||
      /^[\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]$/.test(c))
  );
};
export const isLetterOrDigit = (c: string) => /^[\p{L}\p{Nd}]$/u.test(c);
export const isNumber = (c: string) => /^\p{N}$/u.test(c);
export const isDigit = (c: string) => /^\p{Nd}$/u.test(c);

/** JsonTextReader.ValidIdentifierChar: what an unquoted property name is made of. */
export const validIdentifierChar = (c: string) => isLetterOrDigit(c) || c === '_' || c === '$';
export const isHighSurrogate = (u: number) => u >= 0xd800 && u <= 0xdbff;
export const isLowSurrogate = (u: number) => u >= 0xdc00 && u <= 0xdfff;
