import {
  getTemplate,
  type Scheme,
  type TemplateSummary,
  templateInputs,
  templateNames,
} from '@jiangxin/shared';
import { AppError } from '../../plugins/errors';

export function listTemplates(): TemplateSummary[] {
  return templateNames.map((name) => {
    const input = templateInputs[name];
    return {
      name,
      title: input?.name ?? name,
      titleEn: input?.nameEn ?? null,
      source: input?.source ?? null,
    };
  });
}

/** The parsed scheme of a template; a 404 naming the known templates when there is none by that name. */
export function findTemplate(name: string, field?: string): Scheme {
  const scheme = getTemplate(name);
  if (scheme) return scheme;
  const known = templateNames;
  const where = field ? { 'zh-CN': `字段 ${field}：`, en: `field "${field}": ` } : { 'zh-CN': '', en: '' };
  throw new AppError(
    field ? 400 : 404,
    'template_unknown',
    {
      'zh-CN': `${where['zh-CN']}没有名为“${name}”的评分模板；现有模板：${known.join('、')}`,
      en: `${where.en}there is no template named "${name}"; the templates are: ${known.join(', ')}`,
    },
    { templates: known },
  );
}
