import { type DeviceData, SessionStore } from '../common/session/session';

/** What a tablet keeps of its pairing and of the judge signed in on it. */
export interface TabletData extends DeviceData {
  /** The judge signed in on this tablet (null: paired, waiting for a judge's PIN). */
  judge: { id: string; name: string } | null;
}

/** The tablet's session: its token is a tablet token until a judge signs in, a judge token after. */
export const judgeSession = new SessionStore<TabletData>('jiangxin.tablet');
