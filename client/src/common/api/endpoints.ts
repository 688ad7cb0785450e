import {
  type CompetitionView,
  type ConfirmPaperMarkRequest,
  type CorrectionDecisionRequest,
  type CorrectionDecisionResponse,
  type CorrectionRequest,
  type CorrectionResponse,
  type CorrectionView,
  confirmPaperMarkRequest,
  correctionDecisionRequest,
  correctionRequest,
  type DemoResults,
  type EventSummary,
  type EventView,
  type IssuedToken,
  type JudgeCorrectionRequest,
  type JudgeResumeRequest,
  type JudgeSignInRequest,
  type JudgeSignInResponse,
  judgeCorrectionRequest,
  judgeResumeRequest,
  judgeSignInRequest,
  type LoginRequest,
  type LoginResponse,
  loginRequest,
  type MarkResponse,
  type MyMarksResponse,
  type PairDeviceRequest,
  type PairDeviceResponse,
  type PaperMarkRequest,
  type PaperMarkView,
  pairDeviceRequest,
  paperMarkRequest,
  type RefreshResponse,
  type RemarkRequest,
  type RemarkResponse,
  type ReviewResponse,
  type RoundResultsResponse,
  remarkRequest,
  type Scheme,
  type SignInJudgesResponse,
  type SignOffRequest,
  type SignOffResponse,
  signOffRequest,
  type TemplateSummary,
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

export const setupApi = {
  competitions: (o: CallOptions) => call<CompetitionView[]>('GET', '/api/competitions', o),
  competition: (competitionId: string, o: CallOptions) => call<CompetitionView>('GET', C(competitionId), o),
  events: (competitionId: string, o: CallOptions) =>
    call<EventSummary[]>('GET', `${C(competitionId)}/events`, o),
  event: (competitionId: string, eventId: string, o: CallOptions) =>
    call<EventView>('GET', `${C(competitionId)}/events/${encodeURIComponent(eventId)}`, o),
  workstations: (competitionId: string, roundId: string, o: CallOptions) =>
    call<WorkstationsView>('GET', `${R(competitionId, roundId)}/workstations`, o),
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
  orderRemark: (competitionId: string, roundId: string, body: RemarkRequest, o: CallOptions) =>
    call<RemarkResponse>('POST', `${R(competitionId, roundId)}/remarks`, {
      ...o,
      body: checked(remarkRequest, body),
    }),
  signOff: (competitionId: string, roundId: string, body: SignOffRequest, o: CallOptions) =>
    call<SignOffResponse>('POST', `${R(competitionId, roundId)}/sign-off`, {
      ...o,
      body: checked(signOffRequest, body),
    }),
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
