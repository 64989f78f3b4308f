import { Alert, App as AntApp, Button, Form, Result, Skeleton, Space, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { formatDeadline, issuesBySection, SECTIONS, sectionOf, sectionsWithSavedContent, STATUS_LABELS, windowState, type FormIssue } from '../../../domain';
import { ApiError, api } from '../../api/client';
import { addNavigationGuard, useRouter } from '../../app/router';
import { useSession } from '../../app/session';
import { beijingDateTime } from '../../lib/format';
import { labelOf } from '../../lib/labels';
import { fieldId } from '../../lib/paths';
import { serverNow } from '../../lib/server-clock';
import { timeLeft } from '../../lib/format';
import { ConflictDialog } from './ConflictDialog';
import { EditorContext, groupIssues } from './editor-context';
import { EditorHeader } from './EditorHeader';
import { heldBackAsUnfilled } from './issue-visibility';
import { PreviewDrawer } from './preview/PreviewDrawer';
import { EXTRA_SECTIONS, SectionNav } from './SectionNav';
import { renderSection } from './sections';
import { AttachmentsSection } from './sections/AttachmentsSection';
import { SelfCheckSection } from './sections/SelfCheckSection';
import { useApplicationEditor } from './use-editor';

/** One application, laid out like the 申报书: header, section list, the section being edited. */
export default function EditorPage({ id }: { id: string }) {
  const { session, lastUser } = useSession();
  const userId = session?.user?.id ?? lastUser?.id ?? 'anonymous';
  const ed = useApplicationEditor(id, userId);
  const { navigate } = useRouter();
  const { modal, message } = AntApp.useApp();
  const [active, setActive] = useState('programme');
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [showAll, setShowAll] = useState(false);
  const [serverIssues, setServerIssues] = useState<FormIssue[] | null>(null);
  const [conflictOpen, setConflictOpen] = useState(true);
  const [previewOpen, setPreviewOpen] = useState(false);

  const touch = useCallback((path: string) => setTouched((t) => (t.has(path) ? t : new Set(t).add(path))), []);
  const issuesByPath = useMemo(() => groupIssues(ed.issues), [ed.issues]);
  // sections worked on before this session, from the data as loaded: the dashboard counts the
  // same draft with the same rule (domain/form/unfilled.ts)
  const workedSections = useMemo(() => sectionsWithSavedContent(ed.app?.data ?? {}), [ed.app?.data]);
  const heldBack = useCallback((i: FormIssue) => heldBackAsUnfilled(i, { showAll, touched, workedSections }), [showAll, touched, workedSections]);
  const counts = useMemo(() => issuesBySection(ed.issues, heldBack), [ed.issues, heldBack]);
  // every error blocks submission, whether it is shown as an error or as 未填写 for now
  const errorCount = ed.issues.filter((i) => i.level === 'error').length;
  const unfilledCount = ed.issues.filter(heldBack).length;
  const warningCount = ed.issues.length - errorCount;

  // Leaving the page saves what is pending; the local copy covers a failure.
  useEffect(() => addNavigationGuard(() => (void ed.save(), true)), [ed.save]);
  useEffect(() => {
    if (ed.conflict) setConflictOpen(true);
  }, [ed.conflict]);
  useEffect(() => {
    if (ed.mergedFromServer.length > 0) {
      message.info(`已合并其他窗口保存的修改：${ed.mergedFromServer.map(labelOf).join('、')}`);
      ed.clearMergedNotice();
    }
  }, [ed.mergedFromServer]); // eslint-disable-line react-hooks/exhaustive-deps

  const jumpTo = useCallback((path: string) => {
    const s = sectionOf(path);
    if (s) setActive(s.key);
    // The section renders after the state change; a preview cell may name a row or a group
    // ("schedule.phases[0]", "budget") rather than one input: take its first field then.
    let tries = 0;
    const find = () => {
      const id = fieldId(path);
      const el = document.getElementById(id) ?? document.querySelector<HTMLElement>(`[id^="${CSS.escape(id)}-"]:is(input, textarea, [tabindex])`);
      if (el) {
        el.scrollIntoView({ block: 'center', behavior: 'smooth' });
        el.focus({ preventScroll: true });
      } else if (++tries < 10) setTimeout(find, 60);
    };
    setTimeout(find, 80);
  }, []);

  const selectSection = (key: string) => {
    setActive(key);
    if (key === 'check') setShowAll(true);
    document.getElementById('section-heading')?.focus({ preventScroll: true });
    window.scrollTo({ top: 0 });
  };

  if (ed.loadError) return <Result status="error" title="无法打开申报书" subTitle={ed.loadError} extra={<Button onClick={() => navigate('/dashboard')}>返回申报列表</Button>} />;
  if (!ed.app || !ed.call) return <Skeleton active />;
  const { app, call } = ed;
  const win = windowState(serverNow(), call.window);
  // a refused save leaves the form editable (to correct the input) unless the server closed it
  const readOnly = !app.editable;

  const login = () => navigate(`/login?next=${encodeURIComponent(`/applications/${id}`)}`);

  const submit = async () => {
    const saved = await ed.save();
    if (!saved) {
      message.error('还有修改未能保存，请先处理保存问题再提交。');
      return;
    }
    if (errorCount > 0) {
      setShowAll(true);
      setActive('check');
      message.error(`还有 ${errorCount} 个错误（含未填写的必填项），修改后才能提交。`);
      return;
    }
    modal.confirm({
      title: '提交申报书',
      width: 560,
      okText: '确认提交',
      cancelText: '再检查一下',
      okButtonProps: { 'data-testid': 'submit-confirm' } as Record<string, string>,
      content: (
        <div data-testid="submit-dialog">
          <p>提交后，以下内容将被冻结，不能再修改：</p>
          <ul>
            <li>申报专项、封面及一至十各部分的全部内容；</li>
            <li>已上传的附件。</li>
          </ul>
          <p>
            系统将生成申报编号和打印版申报书（PDF）。截止（{formatDeadline(call.window.closes)}）前如需修改，可以“撤回修改”后重新提交；截止后不能撤回。
          </p>
          {warningCount > 0 && <p>另有 {warningCount} 个警告，不影响提交，请确认。</p>}
        </div>
      ),
      onOk: async () => {
        try {
          await api.submit(id);
          navigate(`/applications/${id}/submitted`);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          if (e.status === 422) {
            setServerIssues(e.body.issues ?? []);
            setShowAll(true);
            setActive('check');
            message.error(e.message);
          } else if (e.code === 'deadline_passed') {
            modal.error({ title: '申报已截止', content: e.message });
            void ed.reload();
          } else modal.error({ title: '提交未成功', content: e.message });
        }
      },
    });
  };

  const withdraw = () => {
    const left = timeLeft(call.window.closes, serverNow());
    const soon = left.ms < 30 * 60_000;
    return modal.confirm({
      title: soon ? `撤回修改：距截止只剩 ${left.text}` : '撤回修改',
      content: `撤回后申报书回到草稿状态，可以修改，修改后须在截止（${formatDeadline(call.window.closes)}）前重新提交，否则不会进入评审。已打印的纸质申报书作废。${
        soon ? `距截止只剩 ${left.text}：如果来不及修改并重新提交，本申报书将不会进入评审。没有必要修改时请不要撤回。` : `距截止还有 ${left.text}。`
      }`,
      okText: '撤回',
      cancelText: '取消',
      okButtonProps: { danger: true, 'data-testid': 'withdraw-confirm' } as { danger: boolean },
      onOk: async () => {
        try {
          await api.withdraw(id);
          await ed.reload();
          message.success('已撤回，申报书可以修改。');
        } catch (e) {
          modal.error({ title: '撤回未成功', content: e instanceof Error ? e.message : String(e) });
        }
      },
    });
  };

  const sectionTitle = [...SECTIONS, ...EXTRA_SECTIONS].find((s) => s.key === active)?.title ?? '';

  return (
    <EditorContext.Provider value={{ data: ed.data, edit: ed.edit, issuesByPath, readOnly, showAll, touched, touch, workedSections, call, applicationId: id }}>
      <div data-testid="editor" data-application-id={id}>
        <EditorHeader
          app={{ ...app, data: ed.data }}
          call={call}
          saveState={ed.saveState}
          lastSavedAt={ed.lastSavedAt}
          saveError={ed.saveError}
          onSave={() => void ed.save().then((ok) => ok && message.success('已保存'))}
          onSubmit={() => void submit()}
          onWithdraw={withdraw}
          onShowConflict={() => setConflictOpen(true)}
          onLogin={login}
          onPreview={() => setPreviewOpen(true)}
          readOnly={!app.editable}
          issueCounts={{ errors: errorCount - unfilledCount, unfilled: unfilledCount, warnings: warningCount }}
        />
        <PreviewDrawer
          open={previewOpen}
          onClose={() => setPreviewOpen(false)}
          app={app}
          data={ed.data}
          call={call}
          dirty={!readOnly && ed.saveState !== 'saved'}
          save={ed.save}
          onJump={jumpTo}
        />
        {ed.restoreOffer && app.editable && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="restore-offer"
            title={`本机保存有尚未提交到服务器的修改（最后修改于 ${beijingDateTime(ed.restoreOffer.savedAt, true)}）。`}
            description="可能是上次登录过期、网络中断或关闭了页面。恢复后会与服务器上的版本比较，两边都改过的字段会让您逐项选择。"
            action={
              <Space orientation="vertical">
                <Button type="primary" size="small" onClick={ed.acceptRestore} data-testid="restore-accept">
                  恢复这些修改
                </Button>
                <Button size="small" onClick={ed.discardRestore} data-testid="restore-discard">
                  丢弃
                </Button>
              </Space>
            }
          />
        )}
        <ReadOnlyNotice app={app} windowOpen={win === 'open'} deadline={formatDeadline(call.window.closes)} refused={ed.saveState === 'refused' ? ed.saveError : null} onWithdraw={withdraw} />
        {ed.saveState === 'expired' && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="session-expired"
            title="登录已过期"
            description="您的修改没有丢失，已保存在本机浏览器中。重新登录后打开本申报书，即可恢复这些修改。"
            action={
              <Button type="primary" onClick={login}>
                重新登录
              </Button>
            }
          />
        )}
        <div className="editor-body">
          <SectionNav active={active} onSelect={selectSection} counts={counts} />
          <section className="section-paper" aria-labelledby="section-heading" data-testid={`section-panel-${active}`}>
            <Typography.Title level={2} id="section-heading" tabIndex={-1} style={{ fontSize: 20, outline: 'none' }}>
              {sectionTitle}
            </Typography.Title>
            {active === 'attachments' ? (
              <AttachmentsSection applicationId={id} readOnly={readOnly} />
            ) : active === 'check' ? (
              <SelfCheckSection issues={ed.issues} serverIssues={serverIssues} onJump={jumpTo} />
            ) : (
              <Form layout="vertical" disabled={readOnly} onSubmitCapture={(e) => e.preventDefault()} requiredMark>
                {renderSection(active, app.orgType)}
              </Form>
            )}
            <SectionPager active={active} onSelect={selectSection} />
          </section>
        </div>
        {ed.conflict && <ConflictDialog key={ed.conflict.current.version} conflict={ed.conflict} open={conflictOpen} onClose={() => setConflictOpen(false)} onResolve={ed.resolveConflict} />}
      </div>
    </EditorContext.Provider>
  );
}

function SectionPager({ active, onSelect }: { active: string; onSelect: (k: string) => void }) {
  const all = [...SECTIONS, ...EXTRA_SECTIONS];
  const i = all.findIndex((s) => s.key === active);
  return (
    <nav aria-label="上一节 / 下一节" style={{ display: 'flex', justifyContent: 'space-between', marginTop: 24 }}>
      {i > 0 ? <Button onClick={() => onSelect(all[i - 1].key)}>上一节：{all[i - 1].nav}</Button> : <span />}
      {i < all.length - 1 ? (
        <Button onClick={() => onSelect(all[i + 1].key)} data-testid="next-section">
          下一节：{all[i + 1].nav}
        </Button>
      ) : (
        <span />
      )}
    </nav>
  );
}

function ReadOnlyNotice({
  app,
  windowOpen,
  deadline,
  refused,
  onWithdraw,
}: {
  app: { status: keyof typeof STATUS_LABELS; editable: boolean; withdrawable: boolean; submittedAt: string | null };
  windowOpen: boolean;
  deadline: string;
  refused: string | null;
  onWithdraw: () => void;
}) {
  if (refused)
    return <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid="save-refused" title="服务器拒绝保存" description={`${refused}。您输入的内容仍显示在页面上，并已保存在本机${app.editable ? '；修改后将自动重新保存' : ''}。`} />;
  if (app.editable) return null;
  if (app.status === 'submitted' && windowOpen)
    return (
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="readonly-notice"
        title={`已于 ${beijingDateTime(app.submittedAt, true)} 提交，内容已冻结（只读）。`}
        description={app.withdrawable ? `如需修改，可在截止（${deadline}）前撤回后修改并重新提交。` : `申报单位可在截止（${deadline}）前撤回修改；截止后内容不再变化。`}
        action={
          app.withdrawable ? (
            <Button danger onClick={onWithdraw}>
              撤回修改
            </Button>
          ) : undefined
        }
      />
    );
  if (!windowOpen)
    return (
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="readonly-notice"
        title={`申报已于 ${deadline} 截止，申报书只读。`}
        description={app.status === 'draft' ? '本申报书未在截止前提交，不会进入评审。' : `当前状态：${STATUS_LABELS[app.status]}。`}
      />
    );
  return <Alert type="info" showIcon style={{ marginBottom: 16 }} data-testid="readonly-notice" title={`当前状态为“${STATUS_LABELS[app.status]}”，申报书只读。`} />;
}
