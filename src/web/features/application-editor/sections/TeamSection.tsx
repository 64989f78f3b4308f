import { Typography } from 'antd';
import { LIMITS } from '../../../../domain';
import { ListIssue, LongTextField, TextField, wholeNumber } from '../fields';
import { RowTable } from '../RowTable';

/** 八、项目负责人及主要参加人员 (序号 = position). */
export function TeamSection() {
  return (
    <>
      <Typography.Paragraph type="secondary">第一行一般为项目负责人。可用“上移/下移”调整顺序，序号随位置变化。</Typography.Paragraph>
      <ListIssue path="team" />
      <RowTable
        path="team"
        testId="team"
        rowName="位人员"
        addLabel="添加人员"
        max={LIMITS.team}
        newRow={() => ({ name: '', age: '', title: '', unit: '', role: '', note: '' })}
        columns={[
          { title: '姓名', width: 100, cell: (i) => <TextField hideLabel path={`team[${i}].name`} label={`第 ${i + 1} 位人员姓名`} max={LIMITS.short} /> },
          { title: '年龄', width: 68, cell: (i) => <TextField hideLabel path={`team[${i}].age`} label={`第 ${i + 1} 位人员年龄`} max={3} inputMode="numeric" parse={wholeNumber} /> },
          {
            title: '职务职称',
            width: 160,
            cell: (i) => <LongTextField hideLabel singleLine path={`team[${i}].title`} label={`第 ${i + 1} 位人员职务职称`} max={LIMITS.short} rows={1} showWords={false} counter="near-limit" />,
          },
          {
            title: '工作单位',
            width: 180,
            cell: (i) => <LongTextField hideLabel singleLine path={`team[${i}].unit`} label={`第 ${i + 1} 位人员工作单位`} max={LIMITS.medium} rows={1} showWords={false} counter="near-limit" />,
          },
          { title: '在本项目中承担的主要工作', minWidth: 220, cell: (i) => <LongTextField hideLabel path={`team[${i}].role`} label={`第 ${i + 1} 位人员承担的主要工作`} max={LIMITS.cell} rows={1} showWords={false} /> },
          { title: '备注', width: 150, cell: (i) => <LongTextField hideLabel path={`team[${i}].note`} label={`第 ${i + 1} 位人员备注`} max={LIMITS.cell} rows={1} showWords={false} counter="near-limit" /> },
        ]}
      />
    </>
  );
}
