import { readdirSync, readFileSync } from 'node:fs';

/**
 * RSS in bytes of a process and all its descendants (default: this one), from /proc
 * (Linux): what the PDF renderer children hold counts too.
 */
export function treeRss(pid = process.pid): { bytes: number; processes: number } {
  let bytes = 0;
  let processes = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      bytes += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      processes++;
      for (const tid of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').trim();
        if (kids) kids.split(/\s+/).map(Number).forEach(visit);
      }
    } catch {
      // the process exited while we looked (a retired renderer child): it holds no memory any more
    }
  };
  visit(pid);
  return { bytes, processes };
}
