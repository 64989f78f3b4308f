import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, MinusCircleOutlined } from '@ant-design/icons';
import { SECTIONS, type SectionCounts } from '../../../domain';

export const EXTRA_SECTIONS = [
  { key: 'attachments', nav: '附件', title: '附件' },
  { key: 'check', nav: '自查', title: '自查' },
];

/**
 * The section list on the left, each with its state from issuesBySection: every count that is
 * not zero, one under the other — errors (red), 未填写 (grey: empty required values not reached
 * yet), warnings (brown) — else 完成. The sections' errors and 未填写 add up to the header's.
 */
export function SectionNav({
  active,
  onSelect,
  counts,
}: {
  active: string;
  onSelect: (key: string) => void;
  counts: Record<string, SectionCounts>;
}) {
  return (
    <nav className="editor-nav" aria-label="申报书章节">
      <ol>
        {[...SECTIONS, ...EXTRA_SECTIONS].map((s) => {
          const c = counts[s.key];
          let state: React.ReactNode = null;
          if (c) {
            const parts = [
              c.errors > 0 && (
                <span key="errors" className="sec-errors" data-testid={`section-${s.key}-errors`}>
                  <CloseCircleFilled aria-hidden /> {c.errors} 个错误
                </span>
              ),
              c.unfilled > 0 && (
                <span key="unfilled" className="sec-unfilled" data-testid={`section-${s.key}-unfilled`}>
                  <MinusCircleOutlined aria-hidden /> {c.unfilled} 项未填写
                </span>
              ),
              c.warnings > 0 && (
                <span key="warnings" className="sec-warnings" data-testid={`section-${s.key}-warnings`}>
                  <ExclamationCircleFilled aria-hidden /> {c.warnings} 个警告
                </span>
              ),
            ].filter(Boolean);
            state =
              parts.length > 0 ? (
                <span className="sec-state">{parts}</span>
              ) : (
                <span className="sec-state sec-complete">
                  <CheckCircleFilled aria-hidden /> <span className="sr-only">完成</span>
                </span>
              );
          }
          return (
            <li key={s.key}>
              <button
                type="button"
                className="sec"
                aria-current={active === s.key ? 'true' : undefined}
                onClick={() => onSelect(s.key)}
                data-testid={`section-${s.key}`}
                data-state={c ? (c.errors ? 'error' : c.unfilled ? 'unfilled' : c.warnings ? 'warning' : 'complete') : undefined}
              >
                <span>{s.nav}</span>
                {state}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
