/**
 * Lifecycle of an application (DESIGN.md, "Lifecycle of an application").
 * draft ⇄ submitted (withdraw only while the window is open); after the window closes a
 * submitted application is locked and goes on to screening and review. This module says
 * which transitions exist; services check actor, state and clock.
 */
export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'locked',
  'accepted',
  'rejected',
  'returned',
  'approved',
  'not_approved',
  'in_progress',
  'completed',
  'failed_acceptance',
] as const;
export type TApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Chinese labels of statuses. */
export const STATUS_LABELS: Record<TApplicationStatus, string> = {
  draft: '草稿',
  submitted: '已提交',
  locked: '已截止',
  accepted: '已受理',
  rejected: '不予受理',
  returned: '退回修改',
  approved: '已立项',
  not_approved: '未立项',
  in_progress: '实施中',
  completed: '已结项',
  failed_acceptance: '验收未通过',
};

/** Transitions, each named by its action. */
export const TRANSITIONS: Record<string, { from: TApplicationStatus[]; to: TApplicationStatus }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  withdraw: { from: ['submitted'], to: 'draft' },
  lock: { from: ['submitted'], to: 'locked' },
  accept: { from: ['locked', 'submitted'], to: 'accepted' },
  reject: { from: ['locked', 'submitted'], to: 'rejected' },
  return: { from: ['locked', 'submitted'], to: 'returned' },
  approve: { from: ['accepted'], to: 'approved' },
  decline: { from: ['accepted'], to: 'not_approved' },
  start: { from: ['approved'], to: 'in_progress' },
  complete: { from: ['in_progress'], to: 'completed' },
  fail: { from: ['in_progress'], to: 'failed_acceptance' },
};

/** True when `action` may be taken from `status`. */
export function canTransition(status: TApplicationStatus, action: keyof typeof TRANSITIONS): boolean {
  return TRANSITIONS[action]?.from.includes(status) ?? false;
}

/** Statuses in which the applicant may edit the data (subject to the clock). */
export const EDITABLE_STATUSES: TApplicationStatus[] = ['draft', 'returned'];
