import { SessionStore } from '../common/session/session';

/** What a big screen keeps of its pairing: the display token (renewed) and the competition it shows. */
export interface DisplayData {
  deviceId: string;
  competitionId: string;
  label: string;
}

export const displaySession = new SessionStore<DisplayData>('jiangxin.display');
