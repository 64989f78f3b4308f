/**
 * Run by deadline.test.ts in child processes with different TZ values: prints, as JSON, what the
 * deadline functions compute for the 2023 call, plus the process's own zone so the test can prove
 * that the zone really differed.
 */
import { CALL_2023 } from '../../src/domain/calls/call-2023';
import { beijingDate, formatBeijing, formatDeadline, startOfBeijingDay, deadlineInstant, windowState } from '../../src/domain/deadline';

const instants = [
  '2023-04-27T23:59:59+08:00',
  '2023-04-28T00:00:00+08:00',
  '2023-05-19T23:59:59+08:00',
  '2023-05-19T23:59:59.999+08:00',
  '2023-05-20T00:00:00+08:00',
];
console.log(
  JSON.stringify({
    zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    offsetMinutes: new Date('2023-05-19T12:00:00Z').getTimezoneOffset(),
    states: instants.map((s) => windowState(new Date(s), CALL_2023.window)),
    formatDeadline: formatDeadline(CALL_2023.window.closes),
    deadlineInstant: deadlineInstant(CALL_2023.window.closes).toISOString(),
    opens: startOfBeijingDay(CALL_2023.window.opens).toISOString(),
    beijingDate: beijingDate(new Date('2023-05-19T16:30:00Z')),
    formatBeijing: formatBeijing(new Date('2023-05-19T16:30:00Z')),
  }),
);
