import { Tag } from 'antd';
import { STATUS_LABELS, type TApplicationStatus } from '../../domain';

/**
 * The colour of each status's tag, one mapping for every page (the list, the editor's
 * header): green where the application counts as handed in or approved, blue while it is
 * being processed, orange where the organisation must act, red where it failed.
 */
export const STATUS_TAG_COLORS: Record<TApplicationStatus, string | undefined> = {
  draft: undefined,
  submitted: 'green',
  locked: 'green',
  accepted: 'green',
  rejected: 'red',
  returned: 'orange',
  approved: 'green',
  not_approved: 'red',
  in_progress: 'blue',
  completed: 'green',
  failed_acceptance: 'red',
};

/**
 * The status of an application as a tag, saying what it means for the deadline: a withdrawn
 * application (a draft that already has its 申报编号) is not submitted until it is submitted
 * again, and a draft left when the window closed was never submitted. `closed`: the call's
 * window has closed (by the server's clock). Each branch's Tag has its own key, so a Tag
 * whose colour changes (the calls arrive after the list) is mounted anew: Ant Design kept
 * the first colour.
 */
export function StatusTag({ status, number, closed, testId }: { status: TApplicationStatus; number: string | null; closed: boolean; testId?: string }) {
  if (status === 'draft' && number)
    return closed ? (
      <Tag key="withdrawn-closed" color="red" data-testid={testId}>
        已撤回，截止前未重新提交（未报送）
      </Tag>
    ) : (
      <Tag key="withdrawn-open" color="orange" data-testid={testId}>
        已撤回，须在截止前重新提交
      </Tag>
    );
  if (status === 'draft' && closed)
    return (
      <Tag key="draft-closed" color="red" data-testid={testId}>
        未提交（已截止）
      </Tag>
    );
  return (
    <Tag key={`status-${status}`} color={STATUS_TAG_COLORS[status]} data-testid={testId}>
      {STATUS_LABELS[status] ?? status}
    </Tag>
  );
}
