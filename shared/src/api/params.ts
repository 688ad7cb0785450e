import { z } from 'zod';

/**
 * The path parameters of every route, defined once. Ids are GUIDs (any 8-4-4-4-12 hex form Postgres takes);
 * a malformed one is a 400 naming the parameter, never a lookup.
 */
const id = z.guid();

export const competitionParams = z.strictObject({ competitionId: id });
export const eventParams = competitionParams.extend({ eventId: id });
export const roundParams = competitionParams.extend({ roundId: id });
export const competitorParams = competitionParams.extend({ competitorId: id });
export const teamMemberParams = competitorParams.extend({ memberId: id });
export const attemptsParams = roundParams.extend({ competitorId: id });
export const panelParams = competitionParams.extend({ panelId: id });
export const seatParams = panelParams.extend({ seat: z.string().min(1).max(8) });
export const deviceParams = competitionParams.extend({ deviceId: id });
export const judgeParams = competitionParams.extend({ judgeId: id });
export const paperMarkParams = roundParams.extend({ markId: id });
export const correctionParams = roundParams.extend({ correctionId: id });
