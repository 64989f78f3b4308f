import { Statistic, Typography } from 'antd';
import { formatDeadline, windowState } from '../../../domain';
import { timeLeft } from '../../lib/format';
import { useServerNow } from '../../lib/server-clock';

/** Live countdown to a call's window end, by the server's clock; after it, 已截止 once (not under a title that says it again). */
export function Countdown({ window: w }: { window: { opens: string; closes: string } }) {
  const now = useServerNow();
  const state = windowState(now, w);
  const left = timeLeft(w.closes, now);
  return (
    <div data-testid="call-countdown" aria-live="off">
      <Statistic
        title={state === 'before' ? '申报尚未开始' : state === 'open' ? '距申报截止还剩' : '申报状态'}
        value={state === 'closed' ? '已截止' : left.text}
        styles={{ content: { color: state === 'open' && left.ms < 24 * 3600 * 1000 ? '#cf1322' : undefined, fontSize: 22 } }}
      />
      <Typography.Text type="secondary">截止时间：{formatDeadline(w.closes)}</Typography.Text>
    </div>
  );
}
