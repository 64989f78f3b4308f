import { Checkbox, DatePicker, Form, Input, Select } from 'antd';
import dayjs from 'dayjs';
import { serverNow } from '../../lib/server-clock';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import type { ReactNode } from 'react';
import { countWords, formatYuan, parseWan } from '../../../domain';
import { fieldId, getPath } from '../../lib/paths';
import { useEditor } from './editor-context';
import { heldBackAsUnfilled } from './issue-visibility';

dayjs.extend(customParseFormat);

/**
 * Inputs bound to a contract path. Each shows the rules' messages for its path
 * (Form.Item validateStatus/help) as the person types. An empty required value is shown as
 * a neutral "未填写" until the person has visited and left the field, its section was
 * already worked on, or the person asked for the self-check (issue-visibility.ts); anything
 * entered that breaks a rule shows at once.
 */
export function useFieldIssue(path: string): { validateStatus?: 'error' | 'warning'; help?: ReactNode; unfilled?: boolean } {
  const { issuesByPath, showAll, touched, workedSections } = useEditor();
  const list = issuesByPath.get(path) ?? [];
  const visible = list.filter((i) => !heldBackAsUnfilled(i, { showAll, touched, workedSections }));
  if (visible.length === 0)
    return list.length === 0
      ? {}
      : {
          unfilled: true,
          help: (
            <span className="unfilled" data-testid={`unfilled-${fieldId(path)}`} data-path={path}>
              未填写
            </span>
          ),
        };
  const level = visible.some((i) => i.level === 'error') ? 'error' : 'warning';
  return {
    validateStatus: level,
    help: (
      <span data-testid={`issue-${fieldId(path)}`} data-path={path}>
        {visible.map((i) => i.message).join('；')}
      </span>
    ),
  };
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

interface BaseProps {
  path: string;
  label: ReactNode;
  required?: boolean;
  extra?: ReactNode;
  /** Visually hide the label (table cells); it stays for screen readers. */
  hideLabel?: boolean;
}

function Item({ path, label, required, extra, hideLabel, children }: BaseProps & { children: ReactNode }) {
  const { unfilled: _unfilled, ...issue } = useFieldIssue(path);
  return (
    <Form.Item
      label={hideLabel ? undefined : label}
      htmlFor={fieldId(path)}
      required={required}
      extra={extra}
      {...issue}
    >
      {children}
    </Form.Item>
  );
}

export function TextField(
  props: BaseProps & {
    max: number;
    placeholder?: string;
    inputMode?: 'text' | 'tel' | 'email' | 'numeric';
    width?: number | string;
    /** Turn the typed text into the stored value (e.g. a whole number for 年龄). */
    parse?: (text: string) => unknown;
  },
) {
  const { data, edit, touch, readOnly } = useEditor();
  const value = str(getPath(data, props.path));
  return (
    <Item {...props}>
      <Input
        id={fieldId(props.path)}
        data-testid={fieldId(props.path)}
        value={value}
        maxLength={props.max}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        disabled={readOnly}
        style={props.width ? { width: props.width } : undefined}
        aria-label={typeof props.label === 'string' ? props.label : undefined}
        onChange={(e) => edit(props.path, props.parse ? props.parse(e.target.value) : e.target.value)}
        onBlur={() => touch(props.path)}
      />
    </Item>
  );
}

const DATE_FORMATS = {
  // the first is what is shown and stored; the others are accepted when typed
  date: ['YYYY-MM-DD', 'YYYY/M/D', 'YYYY.M.D', 'YYYYMMDD', 'YYYY年M月D日'],
  month: ['YYYY-MM', 'YYYY/M', 'YYYY.M', 'YYYYMM', 'YYYY年M月'],
} as const;

/**
 * A date ("2023-05-12") or month ("2023-06") with the Chinese calendar of Ant Design (the
 * browser's own pickers follow the browser's language). Stores the same ISO text as typed
 * into a plain input; id and test id sit on the <input>.
 */
export function DateField(props: BaseProps & { picker?: 'date' | 'month'; placeholder?: string; width?: number | string }) {
  const { data, edit, touch, readOnly } = useEditor();
  const picker = props.picker ?? 'date';
  const formats = DATE_FORMATS[picker];
  const raw = str(getPath(data, props.path)).trim();
  const parsed = raw ? dayjs(raw, formats[0], true) : null;
  return (
    <Item {...props}>
      <DatePicker
        id={fieldId(props.path)}
        data-testid={fieldId(props.path)}
        picker={picker}
        value={parsed && parsed.isValid() ? parsed : null}
        format={[...formats]}
        placeholder={props.placeholder ?? (picker === 'month' ? '年-月' : '年-月-日')}
        disabled={readOnly}
        style={{ width: props.width ?? '100%' }}
        aria-label={typeof props.label === 'string' ? props.label : undefined}
        // an empty field's calendar opens at the server's date (a demo's simulated clock, not
        // the computer's; a filled one at its own date); its 今天 button would take the
        // computer's date, so there is none
        defaultPickerValue={parsed && parsed.isValid() ? undefined : dayjs(serverNow())}
        showNow={false}
        onChange={(d) => edit(props.path, d ? d.format(formats[0]) : '')}
        onBlur={(e) => {
          // The picker commits typed text on Enter or its own blur handling, which does not
          // run when the click that moved the focus also unmounts it (another section).
          const typed = (e.target as HTMLInputElement).value?.trim();
          const d = typed ? dayjs(typed, [...formats], true) : null;
          if (d && d.isValid() && d.format(formats[0]) !== raw) edit(props.path, d.format(formats[0]));
          touch(props.path);
        }}
        onOpenChange={(open) => !open && touch(props.path)}
      />
    </Item>
  );
}

/** 年龄 and other whole numbers: stored as a number (as in the contract) when the text is one, else as typed so the rule can say what is wrong. */
export const wholeNumber = (text: string): unknown => (/^\d{1,3}$/.test(text.trim()) ? Number(text.trim()) : text);

/** A long text (四、五、六, 单位简介, table prose) with 字数 and a length counter. */
export function LongTextField(
  props: BaseProps & {
    max: number;
    rows?: number;
    showWords?: boolean;
    /** `near-limit`: show the length only from 80 % of `max` (short table cells). */
    counter?: 'always' | 'near-limit';
    /** A one-line value that wraps on screen (名称, 备注): line breaks become spaces. */
    singleLine?: boolean;
  },
) {
  const { data, edit, touch, readOnly } = useEditor();
  const value = str(getPath(data, props.path));
  const chars = Array.from(value).length;
  const showCounter = props.counter !== 'near-limit' || chars >= props.max * 0.8;
  return (
    <Item {...props}>
      <Input.TextArea
        id={fieldId(props.path)}
        data-testid={fieldId(props.path)}
        value={value}
        maxLength={props.max}
        autoSize={{ minRows: props.rows ?? 4, maxRows: 40 }}
        disabled={readOnly}
        aria-label={typeof props.label === 'string' ? props.label : undefined}
        aria-describedby={showCounter ? `${fieldId(props.path)}-count` : undefined}
        onChange={(e) => edit(props.path, props.singleLine ? e.target.value.replace(/\r\n|\r|\n/g, ' ') : e.target.value)}
        onKeyDown={props.singleLine ? (e) => e.key === 'Enter' && e.preventDefault() : undefined}
        onBlur={() => touch(props.path)}
      />
      {showCounter && (
        <div className="counter" id={`${fieldId(props.path)}-count`} data-testid={`${fieldId(props.path)}-count`}>
          {props.showWords !== false && <>字数 {countWords(value)} · </>}
          {chars} / {props.max} 字符
        </div>
      )}
    </Item>
  );
}

/** An amount in 万元 with its 元 figure beside it, to catch unit mistakes. */
export function MoneyField(props: BaseProps & { width?: number }) {
  const { data, edit, touch, readOnly } = useEditor();
  const raw = getPath(data, props.path);
  const value = str(raw);
  const parsed = parseWan(raw);
  return (
    <Item {...props}>
      <span style={{ display: 'inline-flex', alignItems: 'center', flexWrap: 'wrap' }}>
        <Input
          id={fieldId(props.path)}
          data-testid={fieldId(props.path)}
          value={value}
          inputMode="decimal"
          maxLength={32}
          suffix="万元"
          disabled={readOnly}
          style={{ width: props.width ?? 160 }}
          aria-label={typeof props.label === 'string' ? `${props.label}（万元）` : undefined}
          aria-describedby={`${fieldId(props.path)}-yuan`}
          onChange={(e) => edit(props.path, e.target.value)}
          onBlur={() => touch(props.path)}
        />
        <span className="money-yuan" id={`${fieldId(props.path)}-yuan`} data-testid={`${fieldId(props.path)}-yuan`}>
          {parsed.ok ? `= ${formatYuan(parsed.yuan)}` : ''}
        </span>
      </span>
    </Item>
  );
}

export function CheckboxField(props: BaseProps & { children: ReactNode }) {
  const { data, edit, touch, readOnly } = useEditor();
  const checked = getPath(data, props.path) === true;
  // an unticked declaration not yet reached needs no "未填写" under it: the box says so
  const { unfilled, ...issue } = useFieldIssue(props.path);
  return (
    <Form.Item {...(unfilled ? {} : issue)} extra={props.extra}>
      <Checkbox
        id={fieldId(props.path)}
        data-testid={fieldId(props.path)}
        checked={checked}
        disabled={readOnly}
        onChange={(e) => {
          touch(props.path);
          edit(props.path, e.target.checked);
        }}
      >
        {props.children}
      </Checkbox>
    </Form.Item>
  );
}

export function SelectField(props: BaseProps & { options: { value: string; label: string }[]; width?: number | string; allowClear?: boolean }) {
  const { data, edit, touch, readOnly } = useEditor();
  const v = getPath(data, props.path);
  return (
    <Item {...props}>
      <Select
        id={fieldId(props.path)}
        data-testid={fieldId(props.path)}
        value={v === null || v === undefined || v === '' ? undefined : String(v)}
        options={props.options}
        placeholder="请选择"
        disabled={readOnly}
        allowClear={props.allowClear}
        style={{ width: props.width ?? '100%' }}
        aria-label={typeof props.label === 'string' ? props.label : undefined}
        onChange={(val) => {
          touch(props.path);
          edit(props.path, val ?? null);
        }}
        onBlur={() => touch(props.path)}
      />
    </Item>
  );
}

/**
 * Message for a whole list (team, budget.items…), anchored so 自查 can jump to it. An empty
 * list not yet reached shows nothing here (the empty table says so, the section list counts
 * it): a box that vanished with the first row would move the 添加 button under the pointer.
 */
export function ListIssue({ path }: { path: string }) {
  const issue = useFieldIssue(path);
  return (
    <div id={fieldId(path)} tabIndex={-1} data-testid={fieldId(path)} style={{ outline: 'none' }}>
      {issue.help && !issue.unfilled && (
        <div role="alert" className={issue.validateStatus === 'error' ? 'list-issue error' : 'list-issue warning'}>
          {issue.help}
        </div>
      )}
    </div>
  );
}
