import {
  type AssignSeatRequest,
  assignSeatRequest,
  type CheckInResult,
  type CompetitionView,
  type CompetitorView,
  type ConfirmPaperMarkRequest,
  type CorrectionDecisionRequest,
  type CorrectionDecisionResponse,
  type CorrectionRequest,
  type CorrectionResponse,
  type CorrectionView,
  type CreateCompetitionRequest,
  type CreateCompetitorRequest,
  type CreateDeviceRequest,
  type CreateDeviceResponse,
  type CreateEventRequest,
  type CreatePanelRequest,
  confirmPaperMarkRequest,
  correctionDecisionRequest,
  correctionRequest,
  createCompetitionRequest,
  createCompetitorRequest,
  createDeviceRequest,
  createEventRequest,
  createPanelRequest,
  type DemoResults,
  type Device,
  type DevicesResponse,
  type DrawResult,
  type EventSummary,
  type EventView,
  type GrantMembershipRequest,
  type GrantMembershipResponse,
  grantMembershipRequest,
  type HonourOverrideRequest,
  type HonourRulesResponse,
  type HonoursListResponse,
  type HonourTemplateSummary,
  honourOverrideRequest,
  type ImportPreview,
  type ImportReport,
  type ImportRequest,
  type IssuedToken,
  importRequest,
  type JudgeCorrectionRequest,
  type JudgeResumeRequest,
  type JudgeSignInRequest,
  type JudgeSignInResponse,
  type JudgeView,
  judgeCorrectionRequest,
  judgeResumeRequest,
  judgeSignInRequest,
  type LoginRequest,
  type LoginResponse,
  loginRequest,
  type MarkResponse,
  type MembersResponse,
  type MissingMarkRequest,
  type MissingMarkView,
  type MyMarksResponse,
  missingMarkRequest,
  type PairDeviceRequest,
  type PairDeviceResponse,
  type PanelCoverageRequest,
  type PanelDrawRequest,
  type PanelDrawResult,
  type PanelView,
  type PaperMarkRequest,
  type PaperMarkView,
  type PutHonourRulesRequest,
  pairDeviceRequest,
  panelCoverageRequest,
  panelDrawRequest,
  paperMarkRequest,
  putHonourRulesRequest,
  type RefreshResponse,
  type RemarkRequest,
  type RemarkResponse,
  type ReviewResponse,
  type RoundResultsResponse,
  type RoundStatus,
  remarkRequest,
  type Scheme,
  type SeatAssigned,
  type SetPinRequest,
  type SignInJudgesResponse,
  type SignOffRequest,
  type SignOffResponse,
  setPinRequest,
  signOffRequest,
  type TemplateSummary,
  type UpdateTeamMemberRequest,
  updateTeamMemberRequest,
  type VerifyRequest,
  type VerifyResponse,
  type WhoAmI,
  type WorkstationsView,
} from '@jiangxin/shared';
import { type CallOptions, call, checked } from './http';

/**
 * Every API call the client makes, typed by the shared contract: request bodies are checked with the same zod
 * schemas as on the server, responses carry the shared response types. Paths are built in one place.
 */

const C = (competitionId: string) => `/api/competitions/${encodeURIComponent(competitionId)}`;
const R = (competitionId: string, roundId: string) =>
  `${C(competitionId)}/rounds/${encodeURIComponent(roundId)}`;

export const authApi = {
  login: (body: LoginRequest, o?: CallOptions) =>
    call<LoginResponse>('POST', '/api/auth/login', { ...o, body: checked(loginRequest, body) }),
  me: (o: CallOptions) => call<WhoAmI>('GET', '/api/auth/me', o),
  /** Renews any valid token (account or device) before it expires. */
  refresh: (o: CallOptions) => call<RefreshResponse>('POST', '/api/auth/refresh', o),
  pair: (body: PairDeviceRequest, o?: CallOptions) =>
    call<PairDeviceResponse>('POST', '/api/devices/pair', { ...o, body: checked(pairDeviceRequest, body) }),
  signInJudges: (o: CallOptions) => call<SignInJudgesResponse>('GET', '/api/devices/judges', o),
  judgeSignIn: (body: JudgeSignInRequest, o: CallOptions) =>
    call<JudgeSignInResponse>('POST', '/api/devices/judge-sign-in', {
      ...o,
      body: checked(judgeSignInRequest, body),
    }),
  /** A judge whose token expired signs in again on the same tablet with the PIN (no Authorization header). */
  judgeResume: (body: JudgeResumeRequest, o?: CallOptions) =>
    call<JudgeSignInResponse>('POST', '/api/devices/judge-resume', {
      ...o,
      body: checked(judgeResumeRequest, body),
    }),
  judgeSignOut: (o: CallOptions) => call<IssuedToken>('POST', '/api/devices/judge-sign-out', o),
};

const E = (competitionId: string, eventId: string) =>
  `${C(competitionId)}/events/${encodeURIComponent(eventId)}`;
const P = (competitionId: string, panelId: string) =>
  `${C(competitionId)}/panels/${encodeURIComponent(panelId)}`;

/** Who an import is for: an event's competitors, or the competition's judges. */
export type ImportTarget = { kind: 'competitors'; eventId: string } | { kind: 'judges' };
const importPath = (competitionId: string, target: ImportTarget) =>
  target.kind === 'competitors'
    ? `${E(competitionId, target.eventId)}/competitors/import`
    : `${C(competitionId)}/judges/import`;

export const setupApi = {
  competitions: (o: CallOptions) => call<CompetitionView[]>('GET', '/api/competitions', o),
  createCompetition: (body: CreateCompetitionRequest, o: CallOptions) =>
    call<CompetitionView>('POST', '/api/competitions', {
      ...o,
      body: checked(createCompetitionRequest, body),
    }),
  createEvent: (competitionId: string, body: CreateEventRequest, o: CallOptions) =>
    call<EventView>('POST', `${C(competitionId)}/events`, { ...o, body: checked(createEventRequest, body) }),
  competitors: (competitionId: string, eventId: string, o: CallOptions) =>
    call<CompetitorView[]>('GET', `${E(competitionId, eventId)}/competitors`, o),
  /** A team member's record changed (the organizer); answers the team with its members. */
  updateTeamMember: (
    competitionId: string,
    ids: { competitorId: string; memberId: string },
    body: UpdateTeamMemberRequest,
    o: CallOptions,
  ) =>
    call<CompetitorView>(
      'PATCH',
      `${C(competitionId)}/competitors/${encodeURIComponent(ids.competitorId)}/members/${encodeURIComponent(ids.memberId)}`,
      { ...o, body: checked(updateTeamMemberRequest, body) },
    ),
  /** A member joins a team (the organizer), within the scheme's team size; answers the team. */
  addTeamMember: (
    competitionId: string,
    competitorId: string,
    body: CreateCompetitorRequest,
    o: CallOptions,
  ) =>
    call<CompetitorView>(
      'POST',
      `${C(competitionId)}/competitors/${encodeURIComponent(competitorId)}/members`,
      {
        ...o,
        body: checked(createCompetitorRequest, body),
      },
    ),
  /** A member leaves a team (the organizer); answers the team. */
  removeTeamMember: (
    competitionId: string,
    ids: { competitorId: string; memberId: string },
    o: CallOptions,
  ) =>
    call<CompetitorView>(
      'DELETE',
      `${C(competitionId)}/competitors/${encodeURIComponent(ids.competitorId)}/members/${encodeURIComponent(ids.memberId)}`,
      o,
    ),
  judges: (competitionId: string, o: CallOptions) =>
    call<JudgeView[]>('GET', `${C(competitionId)}/judges`, o),
  /** What an import would register and refuse, row by row; nothing is saved. */
  previewImport: (competitionId: string, target: ImportTarget, body: ImportRequest, o: CallOptions) =>
    call<ImportPreview>('POST', `${importPath(competitionId, target)}/preview`, {
      ...o,
      body: checked(importRequest, body),
    }),
  import: (competitionId: string, target: ImportTarget, body: ImportRequest, o: CallOptions) =>
    call<ImportReport>('POST', importPath(competitionId, target), {
      ...o,
      body: checked(importRequest, body),
    }),
  panels: (competitionId: string, eventId: string, o: CallOptions) =>
    call<PanelView[]>('GET', `${E(competitionId, eventId)}/panels`, o),
  createPanel: (competitionId: string, eventId: string, body: CreatePanelRequest, o: CallOptions) =>
    call<PanelView>('POST', `${E(competitionId, eventId)}/panels`, {
      ...o,
      body: checked(createPanelRequest, body),
    }),
  /** Replaces a panel's round, group, field and attempts (before marking starts). */
  replaceCoverage: (competitionId: string, panelId: string, body: PanelCoverageRequest, o: CallOptions) =>
    call<PanelView>('PUT', `${P(competitionId, panelId)}/coverage`, {
      ...o,
      body: checked(panelCoverageRequest, body),
    }),
  assignSeat: (
    competitionId: string,
    panelId: string,
    seat: string,
    body: AssignSeatRequest,
    o: CallOptions,
  ) =>
    call<SeatAssigned>('PUT', `${P(competitionId, panelId)}/seats/${encodeURIComponent(seat)}`, {
      ...o,
      body: checked(assignSeatRequest, body),
    }),
  clearSeat: (competitionId: string, panelId: string, seat: string, o: CallOptions) =>
    call<SeatAssigned>('DELETE', `${P(competitionId, panelId)}/seats/${encodeURIComponent(seat)}`, o),
  /** The draw of judges to the panels of a round (裁判抽签). */
  panelDraw: (competitionId: string, roundId: string, body: PanelDrawRequest, o: CallOptions) =>
    call<PanelDrawResult>('POST', `${R(competitionId, roundId)}/panel-draw`, {
      ...o,
      body: checked(panelDrawRequest, body),
    }),
  draw: (competitionId: string, eventId: string, o: CallOptions) =>
    call<DrawResult>('POST', `${E(competitionId, eventId)}/draw`, o),
  checkIn: (competitionId: string, roundId: string, competitorId: string, o: CallOptions) =>
    call<CheckInResult>('POST', `${R(competitionId, roundId)}/check-in`, { ...o, body: { competitorId } }),
  competition: (competitionId: string, o: CallOptions) => call<CompetitionView>('GET', C(competitionId), o),
  events: (competitionId: string, o: CallOptions) =>
    call<EventSummary[]>('GET', `${C(competitionId)}/events`, o),
  event: (competitionId: string, eventId: string, o: CallOptions) =>
    call<EventView>('GET', `${C(competitionId)}/events/${encodeURIComponent(eventId)}`, o),
  workstations: (competitionId: string, roundId: string, o: CallOptions) =>
    call<WorkstationsView>('GET', `${R(competitionId, roundId)}/workstations`, o),
};

export const membersApi = {
  list: (competitionId: string, o: CallOptions) =>
    call<MembersResponse>('GET', `${C(competitionId)}/members`, o),
  /** Gives an account a role in the competition (the account is created when the username is new). */
  grant: (competitionId: string, body: GrantMembershipRequest, o: CallOptions) =>
    call<GrantMembershipResponse>('POST', `${C(competitionId)}/members`, {
      ...o,
      body: checked(grantMembershipRequest, body),
    }),
};

export const devicesApi = {
  /** A judge's PIN for signing in on a tablet (only its hash is kept). */
  setPin: (competitionId: string, judgeId: string, body: SetPinRequest, o: CallOptions) =>
    call<unknown>('POST', `${C(competitionId)}/judges/${encodeURIComponent(judgeId)}/pin`, {
      ...o,
      body: checked(setPinRequest, body),
    }),
  list: (competitionId: string, o: CallOptions) =>
    call<DevicesResponse>('GET', `${C(competitionId)}/devices`, o),
  /** A new tablet or screen with its pairing code (shown once). */
  create: (competitionId: string, body: CreateDeviceRequest, o: CallOptions) =>
    call<CreateDeviceResponse>('POST', `${C(competitionId)}/devices`, {
      ...o,
      body: checked(createDeviceRequest, body),
    }),
  renewCode: (competitionId: string, deviceId: string, o: CallOptions) =>
    call<CreateDeviceResponse>(
      'POST',
      `${C(competitionId)}/devices/${encodeURIComponent(deviceId)}/pairing-code`,
      o,
    ),
  revoke: (competitionId: string, deviceId: string, o: CallOptions) =>
    call<{ device: Device }>('POST', `${C(competitionId)}/devices/${encodeURIComponent(deviceId)}/revoke`, o),
};

/** A round's ceremony state after freeze or reveal. */
export interface CeremonyState {
  round: RoundStatus;
  frozen: boolean;
  revealed: number;
}

/** The official exports' paths (the files are made by the server; a link downloads them). */
export const exportsApi = {
  honours: (competitionId: string, format: 'xlsx' | 'pdf') => `${C(competitionId)}/exports/honours.${format}`,
  competition: (competitionId: string, format: 'xlsx' | 'csv' | 'pdf') =>
    `${C(competitionId)}/exports/results.${format}`,
  event: (
    competitionId: string,
    eventId: string,
    file: 'results.xlsx' | 'results.csv' | 'results.pdf' | 'marks.csv' | 'scheme.json',
  ) => `${C(competitionId)}/events/${encodeURIComponent(eventId)}/exports/${file}`,
};

export const marksApi = {
  /** The path a judge's mark is sent to (the outbox sends it itself, to read the status). */
  marksPath: (competitionId: string, roundId: string) => `${R(competitionId, roundId)}/marks`,
  myMarks: (competitionId: string, roundId: string, o: CallOptions) =>
    call<MyMarksResponse>('GET', `${R(competitionId, roundId)}/my-marks`, o),
  review: (competitionId: string, roundId: string, o: CallOptions) =>
    call<ReviewResponse>('GET', `${R(competitionId, roundId)}/review`, o),
  results: (competitionId: string, roundId: string, o: CallOptions) =>
    call<RoundResultsResponse>('GET', `${R(competitionId, roundId)}/results`, o),
  paperMark: (competitionId: string, roundId: string, body: PaperMarkRequest, o: CallOptions) =>
    call<MarkResponse>('POST', `${R(competitionId, roundId)}/paper-marks`, {
      ...o,
      body: checked(paperMarkRequest, body),
    }),
  pendingPaper: (competitionId: string, roundId: string, o: CallOptions) =>
    call<{ pending: PaperMarkView[] }>('GET', `${R(competitionId, roundId)}/paper-marks`, o),
  confirmPaper: (
    competitionId: string,
    roundId: string,
    markId: string,
    body: ConfirmPaperMarkRequest,
    o: CallOptions,
  ) =>
    call<MarkResponse>(
      'POST',
      `${R(competitionId, roundId)}/paper-marks/${encodeURIComponent(markId)}/confirm`,
      {
        ...o,
        body: checked(confirmPaperMarkRequest, body) ?? {},
      },
    ),
  requestCorrection: (competitionId: string, roundId: string, body: CorrectionRequest, o: CallOptions) =>
    call<CorrectionResponse>('POST', `${R(competitionId, roundId)}/corrections`, {
      ...o,
      body: checked(correctionRequest, body),
    }),
  /** A judge's correction request after sign-off, for the judge's own seat. */
  requestJudgeCorrection: (
    competitionId: string,
    roundId: string,
    body: JudgeCorrectionRequest,
    o: CallOptions,
  ) =>
    call<CorrectionResponse>('POST', `${R(competitionId, roundId)}/corrections`, {
      ...o,
      body: checked(judgeCorrectionRequest, body),
    }),
  corrections: (competitionId: string, roundId: string, o: CallOptions) =>
    call<{ corrections: CorrectionView[] }>('GET', `${R(competitionId, roundId)}/corrections`, o),
  decideCorrection: (
    competitionId: string,
    roundId: string,
    correctionId: string,
    decision: 'approve' | 'reject',
    body: CorrectionDecisionRequest,
    o: CallOptions,
  ) =>
    call<CorrectionDecisionResponse>(
      'POST',
      `${R(competitionId, roundId)}/corrections/${encodeURIComponent(correctionId)}/${decision}`,
      { ...o, body: checked(correctionDecisionRequest, body) },
    ),
  /** A seat whose judge cannot mark (a dead tablet), replaced under the scheme's missing-mark rule. */
  replaceMissingMark: (competitionId: string, roundId: string, body: MissingMarkRequest, o: CallOptions) =>
    call<{ missingMark: MissingMarkView }>('POST', `${R(competitionId, roundId)}/missing-marks`, {
      ...o,
      body: checked(missingMarkRequest, body),
    }),
  orderRemark: (competitionId: string, roundId: string, body: RemarkRequest, o: CallOptions) =>
    call<RemarkResponse>('POST', `${R(competitionId, roundId)}/remarks`, {
      ...o,
      body: checked(remarkRequest, body),
    }),
  publish: (competitionId: string, roundId: string, o: CallOptions) =>
    call<{ round: RoundStatus }>('POST', `${R(competitionId, roundId)}/publish`, o),
  /** Close or reopen marking: tablets hold the marks refused meanwhile (round_closed) until it reopens. */
  setMarking: (competitionId: string, roundId: string, marking: 'open' | 'close', o: CallOptions) =>
    call<{ round: RoundStatus }>('POST', `${R(competitionId, roundId)}/${marking}`, o),
  freeze: (competitionId: string, roundId: string, o: CallOptions) =>
    call<CeremonyState>('POST', `${R(competitionId, roundId)}/freeze`, o),
  reveal: (competitionId: string, roundId: string, all: boolean, o: CallOptions) =>
    call<CeremonyState>('POST', `${R(competitionId, roundId)}/reveal`, { ...o, body: { all } }),
  signOff: (competitionId: string, roundId: string, body: SignOffRequest, o: CallOptions) =>
    call<SignOffResponse>('POST', `${R(competitionId, roundId)}/sign-off`, {
      ...o,
      body: checked(signOffRequest, body),
    }),
};

/** Honours (荣誉推荐): the rule set, the recommendation list, overrides with a reason, publication. */
export const honoursApi = {
  templates: (o?: CallOptions) => call<HonourTemplateSummary[]>('GET', '/api/honour-templates', o),
  rules: (competitionId: string, o: CallOptions) =>
    call<HonourRulesResponse>('GET', `${C(competitionId)}/honours/rules`, o),
  putRules: (competitionId: string, body: PutHonourRulesRequest, o: CallOptions) =>
    call<HonourRulesResponse>('PUT', `${C(competitionId)}/honours/rules`, {
      ...o,
      body: checked(putHonourRulesRequest, body),
    }),
  list: (competitionId: string, o: CallOptions) =>
    call<HonoursListResponse>('GET', `${C(competitionId)}/honours`, o),
  override: (competitionId: string, body: HonourOverrideRequest, o: CallOptions) =>
    call<unknown>('POST', `${C(competitionId)}/honours/overrides`, {
      ...o,
      body: checked(honourOverrideRequest, body),
    }),
  publish: (competitionId: string, o: CallOptions) =>
    call<unknown>('POST', `${C(competitionId)}/honours/publish`, o),
};

export const toolsApi = {
  templates: (o?: CallOptions) => call<TemplateSummary[]>('GET', '/api/templates', o),
  template: (name: string, o?: CallOptions) =>
    call<Scheme>('GET', `/api/templates/${encodeURIComponent(name)}`, o),
  demoResults: (o?: CallOptions) => call<DemoResults>('GET', '/api/demo/results', o),
  async demoMarks(o?: CallOptions): Promise<string> {
    const response = await fetch('/api/demo/marks.csv', { signal: o?.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  },
  verify: (body: VerifyRequest, o?: CallOptions) =>
    call<VerifyResponse>('POST', '/api/results', { ...o, body }),
};
