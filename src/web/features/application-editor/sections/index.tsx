import type { ReactNode } from 'react';
import type { TOrgType } from '../../../../domain';
import { BudgetSection } from './BudgetSection';
import { ContactsSection } from './ContactsSection';
import { CoverSection } from './CoverSection';
import { EndorsementSection } from './EndorsementSection';
import { LongTextSection } from './LongTextSection';
import { ProfileSection } from './ProfileSection';
import { ProgrammeSection } from './ProgrammeSection';
import { ProjectNameSection } from './ProjectNameSection';
import { ScheduleSection } from './ScheduleSection';
import { TeamSection } from './TeamSection';

/** The form section for a SECTIONS key. */
export function renderSection(key: string, orgType: TOrgType): ReactNode {
  switch (key) {
    case 'programme':
      return <ProgrammeSection orgType={orgType} />;
    case 'cover':
      return <CoverSection />;
    case 's1':
      return <ProjectNameSection />;
    case 's2':
      return <ContactsSection />;
    case 's3':
      return <ProfileSection />;
    case 's4':
      return <LongTextSection path="basis" label="立项依据及工作基础" hint="写明项目的目的和意义、现有工作基础。" />;
    case 's5':
      return <LongTextSection path="plan" label="项目主要内容和方案" hint="写明具体工作内容、实施方案和工作举措。" />;
    case 's6':
      return <LongTextSection path="outcomes" label="项目预期成果和效益" hint="对照考核指标写明预期成果、经济和社会效益。" />;
    case 's7':
      return <ScheduleSection />;
    case 's8':
      return <TeamSection />;
    case 's9':
      return <BudgetSection />;
    case 's10':
      return <EndorsementSection />;
    default:
      return null;
  }
}
