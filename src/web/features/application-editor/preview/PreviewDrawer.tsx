import { DownloadOutlined, FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Space, Typography } from 'antd';
import { useMemo, useRef, useState, type MouseEvent } from 'react';
import { buildDocumentModel, type TApplicationData } from '../../../../domain';
import { urls } from '../../../api/client';
import type { TApplication, TCall } from '../../../api/types';
import { contentHash } from '../../../../domain/documents/content-hash';
import { serverNow } from '../../../lib/server-clock';
import { PrintPreview } from './PrintPreview';

/**
 * The 预览 drawer of the editor: the printed form of the data on screen (unsaved changes
 * too), with the PDF (the copy to print and stamp) and the Word copy one click away. Both files
 * are made by the server from the saved data, so a pending change is saved first.
 */
export function PreviewDrawer({
  open,
  onClose,
  app,
  data,
  call,
  dirty,
  save,
  onJump,
}: {
  open: boolean;
  onClose: () => void;
  app: TApplication & { contentHash?: string | null };
  data: TApplicationData;
  call: TCall;
  /** There are changes the server does not have yet. */
  dirty: boolean;
  save: () => Promise<boolean>;
  onJump: (path: string) => void;
}) {
  const model = useMemo(
    () =>
      open
        ? buildDocumentModel({
            data,
            call,
            number: app.number,
            status: app.status,
            // a submitted copy prints the hash taken at submission, a draft the hash of its data
            contentHash: app.status !== 'draft' && app.status !== 'returned' && app.contentHash ? app.contentHash : contentHash(data),
            generatedAt: serverNow(),
          })
        : null,
    [open, data, call, app.number, app.status, app.contentHash],
  );

  // A click on the preview jumps to the field once the drawer has closed, and the focus stays
  // there instead of going back to the 预览 button.
  const pendingJump = useRef<string | null>(null);
  const [restoreFocus, setRestoreFocus] = useState(true);
  const jump = (path: string) => {
    pendingJump.current = path;
    setRestoreFocus(false);
    onClose();
  };
  const afterOpenChange = (isOpen: boolean) => {
    if (isOpen) return setRestoreFocus(true);
    const path = pendingJump.current;
    pendingJump.current = null;
    if (path) onJump(path);
  };

  /** The files show saved data: save a pending change first, then fetch. */
  const fetchAfterSave = (url: string, kind: 'pdf' | 'docx') => (e: MouseEvent) => {
    if (!dirty) return; // the link opens as is
    e.preventDefault();
    // open the tab now, while the click still counts as the person's gesture
    const w = kind === 'pdf' ? window.open('', '_blank') : null;
    void save().then(() => {
      if (w) {
        w.opener = null;
        w.location.href = url;
      } else if (kind === 'docx') {
        const a = document.createElement('a');
        a.href = url;
        a.download = '';
        document.body.appendChild(a);
        a.click();
        a.remove();
      } else window.open(url, '_blank', 'noopener');
    });
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      placement="right"
      size="min(1000px, 100vw)"
      destroyOnHidden
      focusable={{ focusTriggerAfterClose: restoreFocus }}
      afterOpenChange={afterOpenChange}
      title="预览：打印版申报书"
      data-testid="preview-drawer"
      rootClassName="preview-drawer"
      extra={
        <Space wrap>
          <Button type="primary" icon={<FilePdfOutlined />} href={urls.pdf(app.id)} target="_blank" rel="noopener" onClick={fetchAfterSave(urls.pdf(app.id), 'pdf')} data-testid="preview-pdf">
            下载 PDF
          </Button>
          <Button icon={<FileWordOutlined />} href={urls.docx(app.id)} download onClick={fetchAfterSave(urls.docx(app.id), 'docx')} data-testid="preview-docx">
            下载 Word
          </Button>
        </Space>
      }
    >
      <div className="preview-notes">
        <Alert
          type="info"
          showIcon
          icon={<DownloadOutlined />}
          data-testid="preview-note"
          title="PDF 是打印、签字、盖章和邮寄用的正式文本；Word 副本仅供内部传阅修改，不能代替 PDF。"
          description={
            <>
              本预览显示页面上的当前内容{dirty ? '（含尚未保存的修改，下载时先保存）' : ''}，分页以 PDF 为准。点击表格中的内容可跳到编辑页的相应位置。
            </>
          }
        />
      </div>
      {model && (
        <PrintPreview
          model={model}
          onJump={jump}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 16 }}>
        — 预览结束 —
      </Typography.Paragraph>
    </Drawer>
  );
}
