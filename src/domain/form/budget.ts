import { parseWan } from '../money';
import type { TApplicationData } from './application';

/**
 * Derived budget figures (application-data.md): never typed by the applicant.
 * 经费总预算 = castFunds + otherNational + selfRaised; 其他经费 = otherNational + selfRaised;
 * 合计 = the sum of the items. All in integer 元; a part that does not parse counts as
 * null and makes the sums that need it null.
 */
export interface BudgetTotals {
  castYuan: number | null;
  otherNationalYuan: number | null;
  selfRaisedYuan: number | null;
  /** 其他经费 */
  otherYuan: number | null;
  /** 经费总预算 */
  totalYuan: number | null;
  /** 合计 of the expenditure table */
  itemsYuan: number | null;
  /** Each item's amount, or null where it does not parse */
  itemYuan: (number | null)[];
}

const y = (v: unknown) => {
  const r = parseWan(v);
  return r.ok ? r.yuan : null;
};

/** Compute {@link BudgetTotals} from an application's budget (万元 text in, 元 out). */
export function computeBudget(budget: TApplicationData['budget']): BudgetTotals {
  const castYuan = y(budget?.castFunds);
  const otherNationalYuan = y(budget?.otherNational);
  const selfRaisedYuan = y(budget?.selfRaised);
  const otherYuan = otherNationalYuan !== null && selfRaisedYuan !== null ? otherNationalYuan + selfRaisedYuan : null;
  const totalYuan = castYuan !== null && otherYuan !== null ? castYuan + otherYuan : null;
  const itemYuan = (budget?.items ?? []).map((i) => y(i?.amount));
  const itemsYuan = itemYuan.every((v) => v !== null) ? itemYuan.reduce<number>((a, b) => a + (b as number), 0) : null;
  return { castYuan, otherNationalYuan, selfRaisedYuan, otherYuan, totalYuan, itemsYuan, itemYuan };
}
