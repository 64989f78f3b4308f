import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, MinusCircleOutlined } from '@ant-design/icons';
import { SECTIONS, type SectionCounts } from '../../../domain';

export const EXTRA_SECTIONS = [
  { key: 'attachments', nav: '附件', title: '附件' },
  { key: 'check', nav: '自查', title: '自查' },
];

/**
 * The section list on the left, each with its state from issuesBySection: errors (red), then
 * 未填写 (grey: empty required values not reached yet), then warnings, else 完成.
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
          let stateText = '';
          if (c) {
            if (c.errors > 0) {
              stateText = `${c.errors} 个错误`;
              state = (
                <span style={{ color: '#cf1322', whiteSpace: 'nowrap' }}>
                  <CloseCircleFilled aria-hidden /> {stateText}
                </span>
              );
            } else if (c.unfilled > 0) {
              stateText = `${c.unfilled} 项未填写`;
              state = (
                <span style={{ color: '#595959', whiteSpace: 'nowrap' }}>
                  <MinusCircleOutlined aria-hidden /> {stateText}
                </span>
              );
            } else if (c.warnings > 0) {
              stateText = `${c.warnings} 个警告`;
              state = (
                <span style={{ color: '#874d00', whiteSpace: 'nowrap' }}>
                  <ExclamationCircleFilled aria-hidden /> {stateText}
                </span>
              );
            } else {
              stateText = '完成';
              state = (
                <span style={{ color: '#237804' }}>
                  <CheckCircleFilled aria-hidden /> <span className="sr-only">完成</span>
                </span>
              );
            }
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
