import { Alert, Checkbox, Form, Modal, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { emptyApplication, trackingCodes } from '../../../domain';
import { ApiError, api } from '../../api/client';
import type { TCall, TUser } from '../../api/types';

/**
 * Choose the sub-programmes of a new application. The controls only allow the valid
 * combinations: one of the main programmes, tracking alone, or one main + tracking;
 * tracking needs a track.
 */
export function NewApplicationDialog({
  call,
  user,
  open,
  onClose,
  onCreated,
}: {
  call: TCall;
  user: TUser;
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const tracking = trackingCodes(call);
  const trackingSp = call.subProgrammes.find((s) => tracking.includes(s.code));
  const mains = call.subProgrammes.filter((s) => !tracking.includes(s.code));
  const [main, setMain] = useState<string>('');
  const [withTracking, setWithTracking] = useState(false);
  const [track, setTrack] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const subs = [...(main ? [main] : []), ...(withTracking && trackingSp ? [trackingSp.code] : [])];
  const valid = subs.length > 0 && (!withTracking || !!track);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const data = emptyApplication(subs, withTracking ? track : null);
      // Prefill what the registration already tells us; the applicant checks it. (These paths
      // are PREFILLED_PATHS of src/domain/form/unfilled.ts: they do not make a
      // section count as worked on.)
      const org = user.organisation;
      if (org) {
        data.cover!.applicantUnit = org.name;
        data.applicantProfile!.name = org.name;
      }
      data.cover!.contactName = user.name;
      data.cover!.mobile = user.mobile;
      data.cover!.email = user.email;
      const app = await api.createApplication(call.code, data);
      onCreated(app.id);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setError(
        e.code === 'duplicate_subprogramme'
          ? `${(e.message || '本单位在本批次已有该专项的申报书').replace(/[。.]$/, '')}。请在“我的申报”中打开已有的申报书。`
          : e.message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title="新建申报：选择申报专项"
      okText="创建申报书"
      cancelText="取消"
      onOk={create}
      onCancel={onClose}
      okButtonProps={{ disabled: !valid, loading: busy, 'data-testid': 'new-application-create' }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label="专项（可选一项）">
          <Radio.Group
            value={main}
            onChange={(e) => {
              const v = e.target.value as string;
              setMain(v);
              // tracking alone needs the tracking box; a merged application usually follows its own track
              if (v === '') setWithTracking(true);
              else if (withTracking && !track && trackingSp?.tracks.includes(v)) setTrack(v);
            }}
            aria-label="专项"
          >
            <Space orientation="vertical">
              <Radio value="" data-testid="new-main-none">
                不选（只申报下面的跟踪与服务专项）
              </Radio>
              {mains.map((s) => (
                <Radio key={s.code} value={s.code} data-testid={`new-main-${s.code}`}>
                  {s.ordinal}
                  {s.name}（{s.fundingText}）
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        {trackingSp && (
          <Form.Item label="跟踪与服务专项" extra="可单独申报，也可与上面的一个专项合并申报。">
            <Checkbox
              checked={withTracking}
              onChange={(e) => {
                setWithTracking(e.target.checked);
                if (e.target.checked && !track && main && trackingSp.tracks.includes(main)) setTrack(main);
              }}
              data-testid="new-tracking"
            >
              {trackingSp.ordinal}
              {trackingSp.name}（{trackingSp.fundingText}）
            </Checkbox>
          </Form.Item>
        )}
        {withTracking && trackingSp && (
          <Form.Item label="跟踪方向" required validateStatus={track ? undefined : 'error'} help={track ? undefined : '请选择跟踪的专项方向'}>
            <Select
              value={track ?? undefined}
              onChange={setTrack}
              placeholder="请选择"
              aria-label="跟踪方向"
              data-testid="new-track"
              options={trackingSp.tracks.map((t) => ({ value: t, label: call.subProgrammes.find((s) => s.code === t)?.name ?? t }))}
            />
          </Form.Item>
        )}
        {subs.length === 0 && <Typography.Text type="secondary">请至少选择一个专项。</Typography.Text>}
        {error && <Alert type="error" showIcon title={error} data-testid="new-application-error" />}
      </Form>
    </Modal>
  );
}
