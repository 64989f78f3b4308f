import { Button, Space, Tooltip, Typography } from 'antd';
import { formatDeadline, windowState } from '../../../domain';
import type { TApplication, TCall } from '../../api/types';
import { Link } from '../../app/router';
import { StatusTag } from '../../components/StatusTag';
import { beijingDateTime, beijingTime, timeLeft } from '../../lib/format';
import { useServerNow } from '../../lib/server-clock';
import type { SaveState } from './use-editor';

/**
 * The header that never scrolls away: call and 申报单位, 申报编号 + status, time left, save
 * state (or, read-only, the 提交时间), actions.
 */
export function EditorHeader({
  app,
  call,
  saveState,
  lastSavedAt,
  saveError,
  onSave,
  onSubmit,
  onWithdraw,
  onShowConflict,
  onLogin,
  onPreview,
  readOnly,
  issueCounts,
}: {
  app: TApplication;
  call: TCall;
  saveState: SaveState;
  lastSavedAt: string | null;
  saveError: string | null;
  onSave: () => void;
  onSubmit: () => void;
  onWithdraw: () => void;
  onShowConflict: () => void;
  onLogin: () => void;
  /** Open the on-screen preview of the printed form. */
  onPreview: () => void;
  readOnly: boolean;
  /** Errors shown as errors, empty required values shown as 未填写, warnings (EditorPage). */
  issueCounts?: { errors: number; unfilled: number; warnings: number };
}) {
  const now = useServerNow();
  const left = timeLeft(call.window.closes, now);
  const closed = windowState(now, call.window) === 'closed';
  // Read-only (staff, a submitted application, after the deadline) nothing is being saved:
  // the time of the last save means nothing there. A save that was refused or is pending is
  // still shown, because what was typed is not on the server.
  const showSaveState = !readOnly || saveState !== 'saved';
  const submittedAt = app.status !== 'draft' ? app.submittedAt : null;

  const saveText: Record<SaveState, React.ReactNode> = {
    saved: lastSavedAt ? `已保存 ${beijingTime(lastSavedAt)}` : '已保存',
    dirty: '有未保存的修改',
    saving: '保存中…',
    retrying: '网络异常，正在重试保存…（修改已保存在本机）',
    expired: (
      <>
        登录已过期，修改已保存在本机{' '}
        <Button size="small" type="link" onClick={onLogin} data-testid="relogin">
          重新登录
        </Button>
      </>
    ),
    conflict: (
      <>
        与其他窗口的修改冲突{' '}
        <Button size="small" type="link" onClick={onShowConflict} data-testid="show-conflict">
          处理冲突
        </Button>
      </>
    ),
    refused: `未保存：${saveError ?? ''}`,
  };
  const saveColor = saveState === 'saved' ? '#237804' : saveState === 'dirty' || saveState === 'saving' ? '#595959' : '#cf1322';
  const projectName = app.data.projectName?.trim() || '（未填写项目名称）';
  const context = `${call.title}${app.organisationName ? ` · 申报单位：${app.organisationName}` : ''}`;

  return (
    <header className="editor-header" aria-label="申报书状态与操作">
      <div className="row">
        {/* the part that gives way: the call · 申报单位 and the project name are cut with an
            ellipsis (the whole text in a title / tooltip), so that a long name never pushes the
            deadline, the save state or the actions onto a second line; the project name has a
            line of its own, the widest the header can give it (styles.css, .editor-header) */}
        <div className="editor-title" data-testid="editor-title">
          <div className="editor-context-line">
            <Typography.Text type="secondary" className="editor-context" title={context}>
              <Link to={`/calls/${call.code}`}>{call.title}</Link>
              {app.organisationName && (
                <>
                  {' · 申报单位：'}
                  <span data-testid="application-organisation">{app.organisationName}</span>
                </>
              )}
            </Typography.Text>
            <span>
              申报编号：<span data-testid="application-number">{app.number ?? '提交后生成'}</span>
            </span>
            <StatusTag status={app.status} number={app.number} closed={closed} testId="application-status" />
          </div>
          <Typography.Text strong className="editor-project-name" ellipsis={{ tooltip: { title: projectName, placement: 'bottomLeft' } }} data-testid="editor-project-name">
            {projectName}
          </Typography.Text>
        </div>
        <div className="editor-deadline" data-testid="editor-deadline">
          <div>
            {left.ms > 0 ? (
              <span style={{ color: left.ms < 24 * 3600 * 1000 ? '#cf1322' : undefined }}>距截止还剩 {left.text}</span>
            ) : (
              <Typography.Text type="danger">申报已截止</Typography.Text>
            )}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            截止：{formatDeadline(call.window.closes)}
          </Typography.Text>
        </div>
        <div className="editor-save-state">
          {readOnly && submittedAt && (
            <div data-testid="submitted-at">
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                提交时间
              </Typography.Text>
              <div>{beijingDateTime(submittedAt, true)}</div>
            </div>
          )}
          {/* the live region stays in the page, so that a change of state is announced */}
          {!readOnly && issueCounts && (
            <div data-testid="issue-summary" style={{ fontSize: 12 }}>
              {issueCounts.errors > 0 && <span style={{ color: '#cf1322' }}>{issueCounts.errors} 个错误</span>}
              {issueCounts.errors > 0 && issueCounts.unfilled > 0 && ' · '}
              {issueCounts.unfilled > 0 && <span style={{ color: '#595959' }}>{issueCounts.unfilled} 项未填写</span>}
              {(issueCounts.errors > 0 || issueCounts.unfilled > 0) && issueCounts.warnings > 0 && ' · '}
              {issueCounts.warnings > 0 && <span style={{ color: '#874d00' }}>{issueCounts.warnings} 个警告</span>}
            </div>
          )}
          <div role="status" aria-live="polite" data-testid="save-state" data-state={saveState} style={{ color: saveColor }}>
            {showSaveState && saveText[saveState]}
          </div>
        </div>
        <Space className="editor-actions" data-testid="editor-actions">
          {!readOnly && (
            <Button onClick={onSave} disabled={saveState === 'saving'} data-testid="save">
              保存
            </Button>
          )}
          <Tooltip title="预览打印版申报书，可下载 PDF 和 Word">
            <Button onClick={onPreview} data-testid="preview">
              预览
            </Button>
          </Tooltip>
          {app.editable && (
            <Button type="primary" onClick={onSubmit} data-testid="submit">
              提交
            </Button>
          )}
          {app.withdrawable && (
            <Button danger onClick={onWithdraw} data-testid="withdraw">
              撤回修改
            </Button>
          )}
        </Space>
      </div>
    </header>
  );
}
