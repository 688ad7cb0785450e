import { readFileSync } from 'node:fs';
import { type DemoResults, type EventJson, eventJson, readMarksCsv, scoreEvent } from '@jiangxin/shared';
import { demoEvent } from '../../demo/index';
import { AppError } from '../../plugins/errors';
import { findTemplate } from '../templates/service';

/**
 * Recomputes standings from a marks CSV with a scheme template, the way an appeals jury verifies official
 * results (the same shared functions as `pnpm results`). Bad lines are reported, never skipped: if any line
 * is wrong nothing is computed.
 */
export function computeResults(schemeName: string, marksCsv: string): EventJson[] {
  const scheme = findTemplate(schemeName, 'scheme');
  const file = readMarksCsv(marksCsv, scheme);
  if (file.errors.length > 0) {
    const n = file.errors.length;
    const lines = file.errors.map((e) => e.line);
    const shown = lines.slice(0, 10);
    const more = lines.length > shown.length;
    throw new AppError(
      400,
      'marks_invalid',
      {
        'zh-CN': `字段 marksCsv：成绩文件有 ${n} 处错误（第 ${shown.join('、')}${more ? ' 等' : ''} 行），未计算任何成绩`,
        en: `field "marksCsv": the marks file has ${n} error${n > 1 ? 's' : ''} (line${lines.length > 1 ? 's' : ''} ${shown.join(', ')}${more ? ', …' : ''}); nothing was computed`,
      },
      (locale) => ({ lines: file.errors.map((e) => ({ line: e.line, message: e.message[locale] })) }),
    );
  }
  return file.events.map((e) => eventJson(scheme, e.event, scoreEvent(scheme, e.marks, e.difficulties)));
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
