import { Alert, Button, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { beijingDateTime } from '../../lib/format';
import { labelOf } from '../../lib/labels';
import { applyChoices, canKeepBoth, describeValue, differingPart } from '../../lib/merge';
import type { ConflictState } from './use-editor';
import type { TApplicationData } from '../../../domain';

/**
 * Someone saved a newer version while this tab had edits. For each field both sides changed,
 * show mine and the server's side by side and let the person choose; fields only the server
 * changed are taken, fields only I changed are kept. Then save on the new version.
 */
export function ConflictDialog({ conflict, open, onResolve, onClose }: { conflict: ConflictState; open: boolean; onResolve: (d: TApplicationData) => void; onClose: () => void }) {
  const [choices, setChoices] = useState<Record<string, 'mine' | 'theirs' | 'both'>>({});
  const { plan, current } = conflict;
  const all = plan.conflicts.every((c) => choices[c.path]);
  const setAll = (v: 'mine' | 'theirs') => setChoices(Object.fromEntries(plan.conflicts.map((c) => [c.path, v])));

  return (
    <Modal
      open={open}
      width={960}
      title="申报书已在其他地方被修改"
      onCancel={onClose}
      maskClosable={false}
      data-testid="conflict-dialog"
      footer={[
        <Button key="later" onClick={onClose}>
          稍后处理（修改保留在本机）
        </Button>,
        <Button key="ok" type="primary" disabled={!all} onClick={() => onResolve(applyChoices(plan, choices))} data-testid="conflict-merge">
          合并并保存
        </Button>,
      ]}
    >
      <Typography.Paragraph>
        另一个窗口或另一位同事在 {beijingDateTime(current.updatedAt, true)} 保存了新版本。以下字段两边都改过，请逐项选择保留哪一个；其余修改已自动合并，不会丢失。
      </Typography.Paragraph>
      {plan.takenFromServer.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={`已采用服务器上的修改（您未改动这些字段）：${plan.takenFromServer.map(labelOf).join('、')}`}
        />
      )}
      <Space style={{ marginBottom: 12 }}>
        <Button onClick={() => setAll('mine')} data-testid="conflict-all-mine">
          全部用我的
        </Button>
        <Button onClick={() => setAll('theirs')} data-testid="conflict-all-theirs">
          全部用服务器上的
        </Button>
      </Space>
      {plan.conflicts.map((c) => (
        <fieldset key={c.path} style={{ border: '1px solid #eee', borderRadius: 4, padding: 12, marginBottom: 12 }} data-testid="conflict-field" data-path={c.path}>
          <legend style={{ fontWeight: 600, padding: '0 4px', width: 'auto', border: 0, marginBottom: 0, fontSize: 14 }}>{labelOf(c.path)}</legend>
          {typeof c.mine === 'string' && typeof c.theirs === 'string' && c.mine.length > 120 && (
            <Alert
              type="warning"
              style={{ marginBottom: 8 }}
              title="两边不同之处"
              description={
                <div className="conflict-grid">
                  <pre>{differingPart(c.mine, c.theirs).a || '（无）'}</pre>
                  <pre>{differingPart(c.mine, c.theirs).b || '（无）'}</pre>
                </div>
              }
            />
          )}
          <Radio.Group value={choices[c.path]} onChange={(e) => setChoices((x) => ({ ...x, [c.path]: e.target.value }))} style={{ width: '100%' }}>
            <div className="conflict-grid">
              <div>
                <Radio value="mine" data-testid="conflict-choose-mine">
                  我的修改
                </Radio>
                <pre>{describeValue(c.mine)}</pre>
              </div>
              <div>
                <Radio value="theirs" data-testid="conflict-choose-theirs">
                  服务器上的版本
                </Radio>
                <pre>{describeValue(c.theirs)}</pre>
              </div>
            </div>
            {canKeepBoth(c) && (
              <Radio value="both" data-testid="conflict-choose-both" style={{ marginTop: 8 }}>
                两者都保留（我的在前，服务器上的另起一段接在后面，保存后可再整理）
              </Radio>
            )}
          </Radio.Group>
        </fieldset>
      ))}
    </Modal>
  );
}
