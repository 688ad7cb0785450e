import { type DeviceData, SessionStore } from '../common/session/session';

/** What a big screen keeps of its pairing: the display token (renewed) and the competition it shows. */
export const displaySession = new SessionStore<DeviceData>('jiangxin.display');
