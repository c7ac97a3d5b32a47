import { describe, expect, it } from 'vitest';
import { checkCvr } from '#domain/cvr';

describe('CVR numbers (modulus 11, weights 2 7 6 5 4 3 2 1)', () => {
  it.each([
    // 2·1 + 7·0 + 6·1 + 5·5 + 4·0 + 3·8 + 2·1 + 1·7 = 66 = 6 · 11
    ['10150817', '10150817'],
    ['1015 0817', '10150817'],
    ['DK10150817', '10150817'],
    ['dk 1015-0817', '10150817'],
    ['35209115', '35209115'],
  ])('%s is valid as %s', (input, normalized) => {
    expect(checkCvr(input)).toEqual({ ok: true, normalized });
  });

  it.each([
    ['10150818', 'checksum'],
    ['12345678', 'checksum'],
    ['01234567', 'format'],
    ['1015081', 'format'],
    ['101508170', 'format'],
    ['1015O817', 'format'],
    ['', 'format'],
  ])('%s is refused (%s)', (input, reason) => {
    expect(checkCvr(input)).toEqual({ ok: false, reason });
  });
});
