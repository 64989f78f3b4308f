import { LIMITS, LONG_TEXT_MIN_WORDS } from '../../../../domain';
import { LongTextField } from '../fields';

/** 四、五、六: one long text each, with 字数 as the template's reader counts it. */
export function LongTextSection({ path, label, hint }: { path: 'basis' | 'plan' | 'outcomes'; label: string; hint: string }) {
  return (
    <LongTextField
      path={path}
      label={label}
      required
      max={LIMITS.longText}
      rows={16}
      extra={`${hint}段落之间换行即可。少于 ${LONG_TEXT_MIN_WORDS} 字时会提示内容可能不够充分。`}
    />
  );
}
