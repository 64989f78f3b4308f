import { Descriptions, Typography } from 'antd';
import { computeBudget, formatWan, formatYuan, LIMITS } from '../../../../domain';
import { useEditor } from '../editor-context';
import { ListIssue, LongTextField, MoneyField } from '../fields';
import { RowTable } from '../RowTable';

const wan = (yuan: number | null) => (yuan === null ? '—' : `${formatWan(yuan)} 万元`);
const withYuan = (yuan: number | null) => (yuan === null ? '—（有金额未填或格式不正确）' : `${formatWan(yuan)} 万元（${formatYuan(yuan)}）`);

/** 九、项目经费预算: sources in 万元 with 元 beside, derived totals live, the expenditure table. */
export function BudgetSection() {
  const { data } = useEditor();
  const t = computeBudget(data.budget);
  const diff = t.totalYuan !== null && t.itemsYuan !== null ? t.itemsYuan - t.totalYuan : null;
  return (
    <>
      <Typography.Paragraph type="secondary">金额单位为万元，最多 4 位小数（即精确到元）。右侧显示折合的元数，便于核对单位（例如 50 万元应填 50，不是 500000）。</Typography.Paragraph>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        经费来源
      </Typography.Title>
      <MoneyField path="budget.castFunds" label="1. 申请中国科协经费" required />
      <MoneyField path="budget.otherNational" label="2.1 其他经费中的国家其他拨款" required extra="没有则填 0" />
      <MoneyField path="budget.selfRaised" label="2.2 其他经费中的单位自筹" required extra="没有则填 0" />
      <div className="totals" data-testid="budget-totals" aria-live="polite">
        <Descriptions size="small" column={1}>
          <Descriptions.Item label="经费总预算">
            <span data-testid="budget-total">{withYuan(t.totalYuan)}</span>
          </Descriptions.Item>
          <Descriptions.Item label="其中 其他经费">
            <span data-testid="budget-other">{withYuan(t.otherYuan)}</span>
          </Descriptions.Item>
          <Descriptions.Item label="支出预算合计">
            <span data-testid="budget-items-total">{withYuan(t.itemsYuan)}</span>
            {diff !== null && diff !== 0 && (
              <Typography.Text type="danger" style={{ marginLeft: 8 }}>
                {diff > 0 ? `比经费总预算多 ${wan(diff)}` : `比经费总预算少 ${wan(-diff)}`}
              </Typography.Text>
            )}
            {diff === 0 && (
              <Typography.Text type="success" style={{ marginLeft: 8 }}>
                与经费总预算相等
              </Typography.Text>
            )}
          </Descriptions.Item>
        </Descriptions>
      </div>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        经费支出预算表
      </Typography.Title>
      <ListIssue path="budget.items" />
      <RowTable
        path="budget.items"
        testId="budget-items"
        rowName="项支出"
        addLabel="添加支出"
        max={LIMITS.budgetItems}
        newRow={() => ({ content: '', amount: '', note: '', basis: '' })}
        columns={[
          {
            title: '支出内容',
            width: 170,
            cell: (i) => <LongTextField hideLabel singleLine path={`budget.items[${i}].content`} label={`第 ${i + 1} 项支出内容`} max={LIMITS.medium} rows={1} showWords={false} counter="near-limit" />,
          },
          { title: '金额（万元）', width: 150, cell: (i) => <MoneyField hideLabel path={`budget.items[${i}].amount`} label={`第 ${i + 1} 项金额`} width={126} /> },
          { title: '测算依据', minWidth: 260, cell: (i) => <LongTextField hideLabel path={`budget.items[${i}].basis`} label={`第 ${i + 1} 项测算依据`} max={LIMITS.cell} rows={2} showWords={false} /> },
          { title: '备注', width: 190, cell: (i) => <LongTextField hideLabel path={`budget.items[${i}].note`} label={`第 ${i + 1} 项备注`} max={LIMITS.cell} rows={1} showWords={false} counter="near-limit" /> },
        ]}
      />
    </>
  );
}
