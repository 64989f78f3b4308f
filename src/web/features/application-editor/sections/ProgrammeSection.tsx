import { Alert, Checkbox, Form, Radio, Select, Space, Typography } from 'antd';
import { ORG_TYPE_LABELS, trackingCodes } from '../../../../domain';
import { fieldId } from '../../../lib/paths';
import { useEditor } from '../editor-context';
import { useFieldIssue } from '../fields';

/** 申报专项: which sub-programmes, and the track for tracking. Only valid combinations can be picked. */
export function ProgrammeSection({ orgType }: { orgType: keyof typeof ORG_TYPE_LABELS }) {
  const { data, edit, call, readOnly } = useEditor();
  const tracking = trackingCodes(call);
  const subs = data.subProgrammes ?? [];
  const main = subs.find((s) => !tracking.includes(s)) ?? '';
  const trackingCode = tracking[0];
  const withTracking = subs.some((s) => tracking.includes(s));
  const trackingSp = call.subProgrammes.find((s) => s.code === trackingCode);
  const { unfilled: _subsUnfilled, ...subsIssue } = useFieldIssue('subProgrammes');
  const { unfilled: _trackUnfilled, ...trackIssue } = useFieldIssue('trackingTrack');

  const set = (m: string, t: boolean) => {
    edit('subProgrammes', [...(m ? [m] : []), ...(t && trackingCode ? [trackingCode] : [])]);
    if (!t) edit('trackingTrack', null);
  };

  return (
    <>
      <Typography.Paragraph type="secondary">
        本单位类型：{ORG_TYPE_LABELS[orgType]}。可申报团体标准、国际科技奖励、科技评估评价中的一个专项，或单独申报跟踪与服务专项，或其中一个与跟踪与服务专项合并申报。
      </Typography.Paragraph>
      <Form.Item label="专项" {...subsIssue}>
        <Radio.Group id={fieldId('subProgrammes')} value={main} disabled={readOnly} onChange={(e) => set(e.target.value, withTracking)} aria-label="专项">
          <Space orientation="vertical">
            <Radio value="">不申报以下专项（仅申报跟踪与服务专项）</Radio>
            {call.subProgrammes
              .filter((s) => !tracking.includes(s.code))
              .map((s) => (
                <Radio key={s.code} value={s.code} data-testid={`programme-${s.code}`}>
                  {s.ordinal}
                  {s.name}（{s.fundingText}；申报主体：{s.applicantText}）
                </Radio>
              ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      {trackingSp && (
        <Form.Item>
          <Checkbox checked={withTracking} disabled={readOnly} onChange={(e) => set(main, e.target.checked)} data-testid="programme-tracking">
            {trackingSp.ordinal}
            {trackingSp.name}（{trackingSp.fundingText}）
          </Checkbox>
        </Form.Item>
      )}
      {withTracking && trackingSp && (
        <Form.Item label="跟踪方向" htmlFor={fieldId('trackingTrack')} required {...trackIssue}>
          <Select
            id={fieldId('trackingTrack')}
            data-testid={fieldId('trackingTrack')}
            value={data.trackingTrack ?? undefined}
            disabled={readOnly}
            placeholder="请选择"
            style={{ maxWidth: 420 }}
            onChange={(v) => edit('trackingTrack', v)}
            options={trackingSp.tracks.map((t) => ({ value: t, label: call.subProgrammes.find((s) => s.code === t)?.name ?? t }))}
          />
        </Form.Item>
      )}
      {subs.length > 0 && !readOnly && (
        <Alert
          type="info"
          showIcon
          title="申报编号在提交时按专项生成。更改专项后，请检查九、经费预算是否仍在指导额度内。"
        />
      )}
    </>
  );
}
