/**
 * The rehearsal's machinery, a client of the HTTP API only (no server internals): set a competition up from
 * a marks file, send its marks as the judges' tablets do, close the rounds. `pnpm rehearse` and the demo that
 * plays itself both drive the server with it.
 */
export { ApiClient, checked, pause, RehearsalError } from './api';
export { finishRound, type SentMark, type SubmitOptions, submitMarks } from './marks';
export {
  addEvent,
  codeKey,
  createEvent,
  judgeLabels,
  markedRounds,
  openRound,
  openVenue,
  type PanelPlan,
  renewTokens,
  roundPanels,
  seatNames,
  seatPanel,
  signIn,
  type Venue,
  type VenueEvent,
} from './venue';
