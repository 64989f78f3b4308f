import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Popconfirm, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { getPath } from '../../lib/paths';
import { useEditor } from './editor-context';

export interface RowColumn {
  title: string;
  /** Render the cell of row `i` (fields with paths `${path}[${i}].key`). */
  cell: (i: number) => ReactNode;
  width?: number | string;
  /** For the flexible column: below this the table scrolls sideways instead of squeezing it. */
  minWidth?: number;
}

/**
 * A table of rows edited in place (phases, team, budget items, partner units): add,
 * remove, move up/down. 序号 is the position. Buttons carry labels naming the row.
 */
export function RowTable({
  path,
  columns,
  newRow,
  max,
  addLabel,
  rowName,
  testId,
}: {
  path: string;
  columns: RowColumn[];
  newRow: () => Record<string, unknown>;
  max: number;
  addLabel: string;
  rowName: string;
  testId: string;
}) {
  const { data, edit, readOnly } = useEditor();
  const rows = (getPath(data, path) as unknown[] | undefined) ?? [];

  const list = (cur: unknown) => (Array.isArray(cur) ? cur : []);
  const move = (i: number, d: -1 | 1) =>
    edit(path, (cur: unknown) => {
      const next = [...list(cur)];
      if (i + d < 0 || i + d >= next.length) return next;
      [next[i], next[i + d]] = [next[i + d], next[i]];
      return next;
    });
  const remove = (i: number) => edit(path, (cur: unknown) => list(cur).filter((_, j) => j !== i));
  const add = () => {
    edit(path, (cur: unknown) => (list(cur).length >= max ? list(cur) : [...list(cur), newRow()]));
    // Focus the first input of the new row once it is rendered.
    setTimeout(() => {
      const row = document.querySelector(`[data-testid="${testId}-row-${rows.length}"]`);
      (row?.querySelector('input, textarea') as HTMLElement | null)?.focus();
    }, 50);
  };

  return (
    <div data-testid={testId}>
      <div style={{ overflowX: 'auto' }}>
        <table className={readOnly ? 'row-table' : 'row-table editable'}>
          <thead>
            <tr>
              <th scope="col">序号</th>
              {columns.map((c) => (
                <th key={c.title} scope="col" style={c.width || c.minWidth ? { width: c.width, minWidth: c.minWidth } : undefined}>
                  {c.title}
                </th>
              ))}
              {!readOnly && <th scope="col">操作</th>}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={columns.length + 2}>
                  <Typography.Text type="secondary">尚未填写。</Typography.Text>
                </td>
              </tr>
            )}
            {rows.map((_, i) => (
              <tr key={i} data-testid={`${testId}-row-${i}`}>
                <td className="idx">{i + 1}</td>
                {columns.map((c) => (
                  <td key={c.title}>{c.cell(i)}</td>
                ))}
                {!readOnly && (
                  <td style={{ whiteSpace: 'nowrap' }}>
                    <Space size={2}>
                      <Button size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={`上移第 ${i + 1} ${rowName}`} title="上移" />
                      <Button size="small" icon={<ArrowDownOutlined />} disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={`下移第 ${i + 1} ${rowName}`} title="下移" />
                      <Popconfirm title={`删除第 ${i + 1} ${rowName}？`} okText="删除" cancelText="取消" onConfirm={() => remove(i)}>
                        <Button size="small" danger icon={<DeleteOutlined />} aria-label={`删除第 ${i + 1} ${rowName}`} title="删除" data-testid={`${testId}-remove-${i}`} />
                      </Popconfirm>
                    </Space>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!readOnly && (
        <Space style={{ marginTop: 8 }}>
          <Button icon={<PlusOutlined />} onClick={add} disabled={rows.length >= max} data-testid={`${testId}-add`}>
            {addLabel}
          </Button>
          <Typography.Text type="secondary">
            {rows.length} / {max}
          </Typography.Text>
        </Space>
      )}
    </div>
  );
}
