import { z } from 'zod';
import type { EventJson } from '../results/report';
import { plainText } from './text';

/**
 * The HTTP contract of the results API, shared by the server (validation, responses) and the client.
 * Errors are `{ error: { code, message, ...details } }` (see ApiErrorBody).
 */

/** POST /api/results: recompute standings from a marks file with a template (成绩复核). */
export const verifyRequest = z.strictObject({
  /** A template name (see GET /api/templates). */
  scheme: plainText({ max: 100 }),
  /** The marks file: event,round,competitor,item,judge,mark[,difficulty]. */
  marksCsv: z.string().min(1),
});
export type VerifyRequest = z.input<typeof verifyRequest>;

export interface VerifyResponse {
  events: EventJson[];
}

/** GET /api/templates: one shipped scheme template. */
export interface TemplateSummary {
  name: string;
  /** The scheme's name in Chinese. */
  title: string;
  titleEn: string | null;
  /** Where the rules come from. */
  source: string | null;
}

/** GET /api/demo/results: the demo final with what the page shows about it. */
export interface DemoResults {
  demo: { id: string; scheme: string; title: string; titleEn: string; source: string };
  events: EventJson[];
}

/** A bad line of a marks file, its message in the request's language. */
export interface LineReport {
  line: number;
  message: string;
}

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    /** The first bad lines of a marks file (code `marks_invalid`), at most 100. */
    lines?: LineReport[];
    /** How many bad lines the marks file has in all (code `marks_invalid`). */
    errorCount?: number;
    /** The fields a request schema refused (code `request_invalid`). */
    issues?: { field: string; message: string }[];
  };
}
