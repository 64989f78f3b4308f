import { describe, expect, it } from 'vitest';
import { CALL_2023 } from '../calls/call-2023';
import { buildApplication } from '../../../test/support/domain-fixtures';
import { buildDocumentModel, modelStrings, NO_TOTAL } from './print-model';

const texts = (data: ReturnType<typeof buildApplication>) =>
  [...modelStrings(buildDocumentModel({ data, call: CALL_2023, number: null, status: 'draft', contentHash: 'x', generatedAt: new Date('2023-05-10T01:00:00Z') }))].map((s) => s.text);

describe('the print model: budget totals', () => {
  it('prints the totals of a complete budget in 万元', () => {
    const all = texts(buildApplication()).join('\n');
    expect(all).not.toContain(NO_TOTAL);
    expect(all).toMatch(/经费总预算 \d+(\.\d+)? 万元/);
  });

  it('says a draft’s total cannot be added up instead of printing an empty cell', () => {
    const data = buildApplication((a) => {
      a.budget.items[0].amount = '十万';
      a.budget.selfRaised = '';
    });
    const all = texts(data);
    expect(all.join('\n')).toContain(`经费总预算 ${NO_TOTAL} 万元`);
    expect(all.join('\n')).toContain(`2．其他经费 ${NO_TOTAL} 万元`);
    expect(all).toContain(NO_TOTAL);
  });
});
