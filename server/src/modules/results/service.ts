import { readFileSync } from 'node:fs';
import type { DemoResults, EventJson, LineError } from '@jiangxin/shared';
import { demoEvent } from '../../demo/index';
import { AppError } from '../../plugins/errors';
import { findTemplate } from '../templates/service';
import type { ResultsJob } from './job';
import { MARKS_FILE_LIMITS, type MarksFileOutcome, rowsIn, scoreMarksFile } from './marks-file';
import { PoolBusyError, type PoolLimits, PoolTimeoutError, WorkerPool } from './pool';

/**
 * The verify tool's work goes to worker threads, so a big file never holds the event loop that judges'
 * marks go through: one worker (the server's other core serves the marks), 4 files waiting at most, 20 s
 * per file (a file within the limits takes about a second).
 */
export const RESULTS_POOL_DEFAULTS: PoolLimits = { workers: 1, queue: 4, timeBudgetMs: 20_000 };

/** Seconds a client is asked to wait when every worker is busy. */
export const RESULTS_BUSY_RETRY_SECONDS = 5;

/** 503 results_busy: every worker busy, the queue full (sent with Retry-After by the route). */
export class ResultsBusyError extends AppError {
  readonly retryAfterSeconds = RESULTS_BUSY_RETRY_SECONDS;
  constructor() {
    super(503, 'results_busy', {
      'zh-CN': `成绩复核繁忙：请在 ${RESULTS_BUSY_RETRY_SECONDS} 秒后重试`,
      en: `The results tool is busy: try again in ${RESULTS_BUSY_RETRY_SECONDS} seconds`,
    });
  }
}

/** 400 marks_invalid: the file's first bad lines, how many there are in all, nothing computed. */
function marksInvalid(errors: readonly LineError[], errorCount: number): AppError {
  const lines = errors.map((e) => e.line);
  const shown = lines.slice(0, 10);
  const more = errorCount > shown.length;
  return new AppError(
    400,
    'marks_invalid',
    {
      'zh-CN': `字段 marksCsv：成绩文件有 ${errorCount} 处错误（第 ${shown.join('、')}${more ? ' 等' : ''} 行），未计算任何成绩`,
      en: `field "marksCsv": the marks file has ${errorCount} error${errorCount > 1 ? 's' : ''} (line${errorCount > 1 ? 's' : ''} ${shown.join(', ')}${more ? ', …' : ''}); nothing was computed`,
    },
    (locale) => ({
      lines: errors.map((e) => ({ line: e.line, message: e.message[locale] })),
      errorCount,
    }),
  );
}

function eventsOf(outcome: MarksFileOutcome): EventJson[] {
  if ('errors' in outcome) throw marksInvalid(outcome.errors, outcome.errorCount);
  return outcome.events;
}

/**
 * Recomputes standings from a marks CSV with a scheme template, here on the calling thread (the demo
 * final's fixed file); uploads go through ResultsService.
 */
export function computeResults(schemeName: string, marksCsv: string): EventJson[] {
  return eventsOf(scoreMarksFile(findTemplate(schemeName, 'scheme'), marksCsv));
}

/**
 * The verify tool (成绩复核): recomputes standings from an uploaded marks CSV with a scheme template, the way
 * an appeals jury verifies official results (the same shared functions as `pnpm results`), on a worker.
 */
export class ResultsService {
  private readonly pool: WorkerPool<ResultsJob, MarksFileOutcome>;

  constructor(limits: Partial<PoolLimits> = {}) {
    this.pool = new WorkerPool(new URL('./worker.mjs', import.meta.url), {
      ...RESULTS_POOL_DEFAULTS,
      ...limits,
    });
  }

  async verify(schemeName: string, marksCsv: string): Promise<EventJson[]> {
    findTemplate(schemeName, 'scheme');
    const rows = rowsIn(marksCsv);
    if (rows > MARKS_FILE_LIMITS.marks + 1) {
      const limit = MARKS_FILE_LIMITS.marks.toLocaleString('en');
      throw new AppError(413, 'marks_file_too_large', {
        'zh-CN': `字段 marksCsv：成绩文件有 ${rows} 行，上限为 ${MARKS_FILE_LIMITS.marks} 条评分（一个项目通常只有几千条）；请按项目拆分后分别复核`,
        en: `field "marksCsv": the marks file has ${rows.toLocaleString('en')} lines; the limit is ${limit} marks (an event has a few thousand): verify it one event at a time`,
      });
    }
    try {
      return eventsOf(await this.pool.run({ scheme: schemeName, marksCsv }));
    } catch (error) {
      if (error instanceof PoolBusyError) throw new ResultsBusyError();
      if (error instanceof PoolTimeoutError) {
        const seconds = error.budgetMs / 1000;
        throw new AppError(503, 'results_timeout', {
          'zh-CN': `成绩复核超过 ${seconds} 秒仍未完成，已停止，未计算任何成绩；请按项目拆分文件后重试`,
          en: `Verifying took longer than ${seconds} s and was stopped; nothing was computed. Split the file by event and try again`,
        });
      }
      throw error;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

let demoMarks: string | undefined;
let demo: DemoResults | undefined;

/** The demo event's marks file (CSV). */
export function demoMarksCsv(): string {
  demoMarks ??= readFileSync(demoEvent.marksFile, 'utf8');
  return demoMarks;
}

/** The demo final, computed by the engine from its marks on first use. */
export function demoResults(): DemoResults {
  if (!demo) {
    const { marksFile: _, ...meta } = demoEvent;
    demo = { demo: meta, events: computeResults(demoEvent.scheme, demoMarksCsv()) };
  }
  return demo;
}
