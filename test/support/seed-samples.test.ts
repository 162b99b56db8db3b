import { describe, expect, it } from 'vitest';
import { extractSeedSamples } from './seed-samples.ts';

describe('extractSeedSamples', () => {
  it.each([
    [
      'a JSON object in prose',
      { given: 'Sample:\n{\n "a": {"b": 1}\n}\nend', want: [['json', '{\n "a": {"b": 1}\n}']] },
    ],
    [
      'GitBook tags are not JSON',
      { given: '{% swagger x %} {"id": 1} {% endswagger %}', want: [['json', '{"id": 1}']] },
    ],
    ['braces inside strings', { given: '{"a": "}{"}', want: [['json', '{"a": "}{"}']] }],
    [
      'an XML element at a line start',
      { given: 'x\n<r a="1">\n<b>1</b>\n</r>\ny', want: [['xml', '<r a="1">\n<b>1</b>\n</r>']] },
    ],
    ['prose that is neither', { given: 'a { b } <c>', want: [] }],
  ])('%s', (_name, { given, want }) => {
    expect(extractSeedSamples(given).map((s) => [s.kind, s.text])).toEqual(want);
  });
});
