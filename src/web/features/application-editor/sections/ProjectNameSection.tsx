import { LIMITS } from '../../../../domain';
import { TextField } from '../fields';

/** 一、项目名称 */
export function ProjectNameSection() {
  return <TextField path="projectName" label="项目名称" required max={LIMITS.projectName} extra={`不超过 ${LIMITS.projectName} 个字符；封面和一、项目名称使用同一名称`} />;
}
