import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { checkFilterPatterns, matchesFilters } from '../../local/stream-filters.ts';

const record = (eventName: 'INSERT' | 'MODIFY', sk: string, extra: Record<string, unknown> = {}) =>
  ({
    eventName,
    dynamodb: { Keys: { pk: { S: 'REFERRAL#1' }, sk: { S: sk } }, NewImage: { kind: { S: 'x' }, ...extra } },
  }) as DynamoDBRecord;

/** The dispatcher's own filter, as CDK writes it into the template. */
const dispatcherFilter = { eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: 'EVENT#' }] } } } };

describe('event filtering of stream records', () => {
  it.each([
    ['an inserted event', record('INSERT', 'EVENT#000003'), true],
    ['an inserted access-log entry', record('INSERT', 'ACCESS#2026-12-02T10:00:00Z#a'), false],
    ['a modified event', record('MODIFY', 'EVENT#000003'), false],
    ['an inserted payment', record('INSERT', 'PAYMENT#job-start'), false],
  ] as const)('the dispatcher’s filter: %s → %s', (_case, input, delivered) => {
    expect(matchesFilters(checkFilterPatterns([dispatcherFilter], 'test'), input)).toBe(delivered);
  });

  it('delivers everything without filters and what any one pattern matches with several', () => {
    const patterns = checkFilterPatterns(
      [{ eventName: ['MODIFY'] }, { dynamodb: { NewImage: { flag: { BOOL: [true] } } } }],
      'test',
    );
    expect(matchesFilters([], record('MODIFY', 'STATE'))).toBe(true);
    expect(matchesFilters(patterns, record('MODIFY', 'STATE'))).toBe(true);
    expect(matchesFilters(patterns, record('INSERT', 'STATE', { flag: { BOOL: true } }))).toBe(true);
    expect(matchesFilters(patterns, record('INSERT', 'STATE'))).toBe(false);
  });

  it('knows exists and anything-but', () => {
    const [exists] = checkFilterPatterns([{ dynamodb: { NewImage: { flag: [{ exists: true }] } } }], 't');
    const [but] = checkFilterPatterns([{ eventName: [{ 'anything-but': ['REMOVE'] }] }], 't');
    expect(matchesFilters(exists ? [exists] : [], record('INSERT', 'S', { flag: { BOOL: false } }))).toBe(
      true,
    );
    expect(matchesFilters(exists ? [exists] : [], record('INSERT', 'S'))).toBe(false);
    expect(matchesFilters(but ? [but] : [], record('MODIFY', 'S'))).toBe(true);
  });

  it('refuses an operator it does not emulate, rather than delivering what AWS would filter out', () => {
    expect(() =>
      checkFilterPatterns([{ dynamodb: { Keys: { sk: { S: [{ suffix: '#1' }] } } } }], 'Dispatcher'),
    ).toThrow(/Dispatcher: the filter operator \{"suffix":"#1"\} on S is not emulated/);
  });
});
