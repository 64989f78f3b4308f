import { FileExcelOutlined, FileZipOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Progress, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { ApiError, urls } from '../../api/client';
import { downloadFile, type DownloadProgress } from '../../lib/download';
import { fileSize } from '../../lib/format';

/**
 * The funder admin's exports of one call: the summary as Excel, and every submitted
 * 申报书's PDF as one .zip. The .zip is typeset PDF by PDF on the server (tens of seconds
 * for 200), so its download shows how many 申报书 have arrived out of how many, and the
 * bytes received; it can be cancelled.
 */
export function ExportButtons({ callCode, callTitle }: { callCode: string; callTitle: string }) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<'xlsx' | 'zip' | null>(null);
  const [progress, setProgress] = useState<DownloadProgress | null>(null);
  const abort = useRef<AbortController | null>(null);

  const run = async (kind: 'xlsx' | 'zip') => {
    setBusy(kind);
    setProgress(null);
    abort.current = new AbortController();
    try {
      const name = await downloadFile(kind === 'xlsx' ? urls.exportXlsx(callCode) : urls.exportZip(callCode), {
        fallbackName: `${callTitle}-${kind === 'xlsx' ? '申报汇总.xlsx' : '申报书PDF.zip'}`,
        signal: abort.current.signal,
        onProgress: kind === 'zip' ? setProgress : undefined,
      });
      message.success(`已下载：${name}`);
    } catch (e) {
      const err = e as ApiError;
      if (err.code === 'aborted') message.info('已取消下载');
      else message.error(err.message || '下载失败，请重试');
    } finally {
      setBusy(null);
      setProgress(null);
      abort.current = null;
    }
  };

  const total = progress?.totalFiles ?? null;
  const files = progress?.files ?? null;
  return (
    <div data-testid={`exports-${callCode}`} style={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-end', gap: 8 }}>
      <Space wrap>
        <Button icon={<FileExcelOutlined />} loading={busy === 'xlsx'} disabled={busy === 'zip'} onClick={() => run('xlsx')} data-testid="export-xlsx">
          导出申报汇总（Excel）
        </Button>
        <Button icon={<FileZipOutlined />} loading={busy === 'zip'} disabled={busy === 'xlsx'} onClick={() => run('zip')} data-testid="export-zip">
          下载全部申报书 PDF（压缩包）
        </Button>
      </Space>
      {busy === 'zip' && (
        <div style={{ width: 340, maxWidth: '100%' }} data-testid="export-zip-progress" role="status" aria-live="polite">
          <Progress
            percent={total && files !== null ? Math.floor((files / Math.max(total, 1)) * 100) : 0}
            status="active"
            showInfo={total !== null && files !== null}
            size="small"
          />
          <Space size={12}>
            <Typography.Text type="secondary">
              {total === null
                ? '正在准备…'
                : files !== null
                  ? `已接收 ${files} / ${total} 份申报书 · ${fileSize(progress?.bytes ?? 0)}`
                  : `共 ${total} 份申报书 · 已接收 ${fileSize(progress?.bytes ?? 0)}`}
            </Typography.Text>
            <Button size="small" type="link" onClick={() => abort.current?.abort()} data-testid="export-zip-cancel">
              取消
            </Button>
          </Space>
        </div>
      )}
    </div>
  );
}
