import { Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ORGANISATION_FILTER_MAX } from '../../../domain/api';

/**
 * The staff list's search box for one 申报单位 among hundreds: a part of its name or the
 * beginning of its 统一社会信用代码, searched on Enter or 查找 (clearing the box shows all
 * again). `value` is the filter in force; `found` how many lines it found (null while loading).
 * The box counts towards the server's limit of {@link ORGANISATION_FILTER_MAX} characters.
 */
export function OrganisationSearch({ value, found, onSearch }: { value: string; found: number | null; onSearch: (value: string) => void }) {
  const [text, setText] = useState(value);
  // the filter changed elsewhere (back, forward, a link): the box says what is in force
  useEffect(() => setText(value), [value]);
  return (
    <div style={{ marginBottom: 12 }}>
      <Input.Search
        data-testid="organisation-search"
        aria-label="查找申报单位"
        placeholder="输入申报单位名称或统一社会信用代码"
        allowClear
        enterButton="查找"
        maxLength={ORGANISATION_FILTER_MAX}
        showCount
        value={text}
        onChange={(e) => setText(e.target.value)}
        onSearch={(v) => onSearch(v.trim())}
        style={{ maxWidth: 560 }}
      />
      <div>
        <Typography.Text type="secondary">
          名称中的任意一段（英文字母不分大小写），或统一社会信用代码的开头；最多 {ORGANISATION_FILTER_MAX} 个字符
        </Typography.Text>
      </div>
      {value && found !== null && (
        <div role="status" data-testid="organisation-search-result" style={{ marginTop: 4 }}>
          按“{value}”找到 {found} 份申报书
        </div>
      )}
    </div>
  );
}
