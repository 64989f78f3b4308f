import { Alert, Button, Empty, Tag, Typography } from 'antd';
import { isUnfilled, SECTIONS, sectionOf, type FormIssue } from '../../../../domain';

/**
 * 自查: every error and warning, grouped by section, each a link to its field. Empty required
 * values are errors here like any other (they block submission); the summary says how many.
 */
export function SelfCheckSection({ issues, onJump, serverIssues }: { issues: FormIssue[]; onJump: (path: string) => void; serverIssues?: FormIssue[] | null }) {
  const errors = issues.filter((i) => i.level === 'error').length;
  const unfilled = issues.filter(isUnfilled).length;
  const warnings = issues.length - errors;
  const list = serverIssues && serverIssues.length > 0 ? serverIssues : issues;
  return (
    <div data-testid="self-check">
      {errors === 0 ? (
        <Alert
          type={warnings ? 'warning' : 'success'}
          showIcon
          title={warnings ? `没有错误，可以提交；有 ${warnings} 个警告，请确认。` : '没有错误和警告，可以提交。'}
        />
      ) : (
        <Alert type="error" showIcon title={`还有 ${errors} 个错误需要修改后才能提交${unfilled ? `（其中 ${unfilled} 项是未填写的必填项）` : ''}${warnings ? `；另有 ${warnings} 个警告（不影响提交）` : ''}。`}
          data-testid="self-check-summary" />
      )}
      {serverIssues && serverIssues.length > 0 && (
        <Alert style={{ marginTop: 8 }} type="error" showIcon title="服务器检查未通过，以下是服务器返回的问题：" data-testid="server-issues" />
      )}
      {list.length === 0 && <Empty description="没有问题" />}
      {SECTIONS.map((s) => {
        const mine = list.filter((i) => sectionOf(i.path)?.key === s.key);
        if (mine.length === 0) return null;
        return (
          <section key={s.key} aria-labelledby={`check-${s.key}`} style={{ marginTop: 16 }}>
            <Typography.Title level={3} id={`check-${s.key}`} style={{ fontSize: 16 }}>
              {s.title}
            </Typography.Title>
            <ul style={{ paddingLeft: 0, listStyle: 'none' }}>
              {mine.map((i, n) => (
                <li key={i.path + i.code + n} style={{ marginBottom: 6 }} data-testid="self-check-issue" data-path={i.path} data-level={i.level}>
                  <Tag color={i.level === 'error' ? 'red' : 'orange'}>{i.level === 'error' ? '错误' : '警告'}</Tag>
                  <Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} onClick={() => onJump(i.path)}>
                    {i.message}
                  </Button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
