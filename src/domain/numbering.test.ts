import { describe, expect, it } from 'vitest';
import { CALL_2023 } from './calls/call-2023';
import { findSubProgramme, trackingCodes } from './calls/call';
import { canTransition, EDITABLE_STATUSES, TRANSITIONS } from './lifecycle';
import { formatApplicationNumber, numberFits, numberPrefix } from './numbering';

describe('the 2023 call definition', () => {
  it('has the four sub-programmes with guide funding and lead types', () => {
    expect(CALL_2023.subProgrammes.map((s) => [s.code, s.numberPrefix, s.guideFundingWan, s.quota, s.leadTypes, s.jointLeadTypes, s.tracks])).toEqual([
      ['standards', 'BZ', '20', 20, ['national-society'], ['enterprise-association', 'park-association'], []],
      ['awards', 'JL', '20', 5, ['national-society'], [], []],
      ['evaluation', 'PJ', '20', 10, ['national-society'], [], []],
      ['tracking', 'GZ', '10', 3, ['national-society'], [], ['standards', 'awards', 'evaluation']],
    ]);
    expect(trackingCodes(CALL_2023)).toEqual(['tracking']);
    expect(findSubProgramme(CALL_2023, 'awards')?.name).toBe('国际科技奖励建设专项');
    expect(findSubProgramme(CALL_2023, 'nope')).toBeUndefined();
  });
});

describe('numbering', () => {
  it('takes the prefix of the first non-tracking sub-programme, or tracking alone', () => {
    expect(numberPrefix(CALL_2023, ['standards'])).toBe('BZ');
    expect(numberPrefix(CALL_2023, ['standards', 'tracking'])).toBe('BZ');
    expect(numberPrefix(CALL_2023, ['tracking', 'awards'])).toBe('JL');
    expect(numberPrefix(CALL_2023, ['evaluation'])).toBe('PJ');
    expect(numberPrefix(CALL_2023, ['tracking'])).toBe('GZ');
    expect(numberPrefix(CALL_2023, [])).toBe('XX');
    expect(numberPrefix(CALL_2023, ['nope'])).toBe('XX');
  });

  it('formats <year>-<prefix>-<4-digit sequence>', () => {
    expect(formatApplicationNumber(2023, 'BZ', 7)).toBe('2023-BZ-0007');
    expect(formatApplicationNumber(2023, 'GZ', 1234)).toBe('2023-GZ-1234');
  });
});

describe('lifecycle', () => {
  it('draft ⇄ submitted; locked after the window; review and implementation after', () => {
    expect(canTransition('draft', 'submit')).toBe(true);
    expect(canTransition('returned', 'submit')).toBe(true);
    expect(canTransition('submitted', 'submit')).toBe(false);
    expect(canTransition('submitted', 'withdraw')).toBe(true);
    expect(canTransition('locked', 'withdraw')).toBe(false);
    expect(canTransition('submitted', 'lock')).toBe(true);
    expect(canTransition('draft', 'lock')).toBe(false);
    expect(canTransition('locked', 'accept')).toBe(true);
    expect(canTransition('draft', 'accept')).toBe(false);
    expect(canTransition('accepted', 'approve')).toBe(true);
    expect(canTransition('approved', 'start')).toBe(true);
    expect(canTransition('in_progress', 'complete')).toBe(true);
    expect(canTransition('completed', 'fail')).toBe(false);
    expect(canTransition('draft', 'nonsense' as keyof typeof TRANSITIONS)).toBe(false);
    expect(EDITABLE_STATUSES).toEqual(['draft', 'returned']);
  });
});

describe('numberFits', () => {
  it('keeps a number of the same year and prefix only', () => {
    expect(numberFits('2023-BZ-0007', 2023, 'BZ')).toBe(true);
    expect(numberFits('2023-BZ-0007', 2023, 'JL')).toBe(false);
    expect(numberFits('2023-BZ-0007', 2024, 'BZ')).toBe(false);
    expect(numberFits('2023-B-0007', 2023, 'BZ')).toBe(false);
  });
});
