import raw from '../../../calls/2023-xhgf.json';
import { ZCallDefinition, type TCallDefinition } from './call';

/** The 2023 call (notice of 2023-04-28, `calls/2023-xhgf.json`), parsed and checked. */
export const CALL_2023: TCallDefinition = ZCallDefinition.parse(raw);
