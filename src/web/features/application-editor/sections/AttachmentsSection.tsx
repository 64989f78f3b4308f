import { DeleteOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Popconfirm, Table, Typography, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ATTACHMENT_LIMIT_TEXT, LIMITS } from '../../../../domain';
import { ApiError, api, urls } from '../../../api/client';
import type { TAttachment } from '../../../api/types';
import { beijingDateTime, fileSize } from '../../../lib/format';

export const ACCEPTED_EXT = ['.pdf', '.doc', '.docx', '.jpg', '.jpeg', '.png'];
const ACCEPT = [
  ...ACCEPTED_EXT,
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'image/jpeg',
  'image/png',
].join(',');

/** 附件: list, upload (limit and types shown before choosing; too big refused here too), download, delete. */
export function AttachmentsSection({ applicationId, readOnly }: { applicationId: string; readOnly: boolean }) {
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<TAttachment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);

  const load = useCallback(() => {
    api.attachments(applicationId).then(setItems, (e: Error) => setError(e.message));
  }, [applicationId]);
  useEffect(load, [load]);

  const upload = async (file: File) => {
    setError(null);
    const ext = file.name.slice(file.name.lastIndexOf('.')).toLowerCase();
    if (file.size > LIMITS.attachmentBytes) {
      setError(`“${file.name}”大小为 ${fileSize(file.size)}，超过 ${ATTACHMENT_LIMIT_TEXT} 的限制，未上传。请压缩或拆分后再上传。`);
      return;
    }
    if (!ACCEPTED_EXT.includes(ext)) {
      setError(`“${file.name}”的类型不支持。可上传 PDF、Word（.doc/.docx）或图片（.jpg/.png）。`);
      return;
    }
    if ((items?.length ?? 0) >= LIMITS.attachments) {
      setError(`每份申报书最多 ${LIMITS.attachments} 个附件。`);
      return;
    }
    setUploading(true);
    try {
      const a = await api.uploadAttachment(applicationId, file);
      setItems((xs) => [...(xs ?? []), a]);
      message.success(`已上传“${a.fileName}”`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setError(
        e.status === 413
          ? `“${file.name}”超过 ${ATTACHMENT_LIMIT_TEXT} 的限制，服务器拒绝接收。`
          : e.status === 415
            ? `“${file.name}”的文件类型不被接受（服务器按文件内容判断）。可上传 PDF、Word 或图片。`
            : e.message,
      );
    } finally {
      setUploading(false);
    }
  };

  const remove = async (a: TAttachment) => {
    try {
      await api.deleteAttachment(applicationId, a.id);
      setItems((xs) => (xs ?? []).filter((x) => x.id !== a.id));
      message.success(`已删除“${a.fileName}”`);
    } catch (e) {
      setError(e instanceof Error ? e.message : '删除失败');
    }
  };

  return (
    <>
      <Typography.Paragraph>
        可上传证明材料等附件。每个文件不超过 <strong>{ATTACHMENT_LIMIT_TEXT}</strong>，最多 {LIMITS.attachments} 个；接受 <strong>PDF、Word（.doc/.docx）、图片（.jpg/.png）</strong>。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} closable={{ onClose: () => setError(null) }} style={{ marginBottom: 12 }} data-testid="attachment-error" />}
      {!readOnly && (
        <Upload
          accept={ACCEPT}
          showUploadList={false}
          multiple={false}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={uploading} data-testid="attachment-upload">
            选择文件上传（≤ {ATTACHMENT_LIMIT_TEXT}）
          </Button>
        </Upload>
      )}
      <Table<TAttachment>
        style={{ marginTop: 12 }}
        data-testid="attachments-table"
        size="small"
        rowKey="id"
        loading={items === null && !error}
        dataSource={items ?? []}
        pagination={false}
        locale={{ emptyText: '尚无附件' }}
        columns={[
          { title: '文件名', dataIndex: 'fileName' },
          { title: '大小', dataIndex: 'size', render: (s: number) => fileSize(s), width: 100 },
          { title: '上传时间', dataIndex: 'uploadedAt', render: (t: string) => beijingDateTime(t), width: 220 },
          {
            title: '操作',
            width: 180,
            render: (_, a) => (
              <>
                <Button type="link" icon={<DownloadOutlined />} href={urls.attachment(applicationId, a.id)} aria-label={`下载 ${a.fileName}`}>
                  下载
                </Button>
                {!readOnly && (
                  <Popconfirm title={`删除“${a.fileName}”？`} okText="删除" cancelText="取消" onConfirm={() => remove(a)}>
                    <Button type="link" danger icon={<DeleteOutlined />} aria-label={`删除 ${a.fileName}`}>
                      删除
                    </Button>
                  </Popconfirm>
                )}
              </>
            ),
          },
        ]}
      />
    </>
  );
}
