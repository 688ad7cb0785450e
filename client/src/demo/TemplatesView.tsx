import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { toolsApi } from '../common/api/endpoints';
import { useI18n } from '../common/i18n';
import { Status } from '../common/ui/Status';
import { SchemeDetail } from './SchemeDetail';

/** The shipped scheme templates; one opens to show its components and aspects. */
export function TemplatesView() {
  const { t, pick } = useI18n();
  const list = useQuery({ queryKey: ['templates'], queryFn: ({ signal }) => toolsApi.templates({ signal }) });
  const [selected, setSelected] = useState<string | null>(null);
  const detail = useRef<HTMLDivElement>(null);

  const select = (name: string) => {
    setSelected(name);
    // On a phone the detail is below the list: bring it into view.
    if (window.matchMedia('(max-width: 40rem)').matches) {
      requestAnimationFrame(() => detail.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
    }
  };

  if (!list.data) return <Status query={list} />;
  return (
    <section className="panel">
      <p>{t('templates.intro')}</p>
      <div className="templates">
        <ul className="template-list">
          {list.data.map((template) => (
            <li key={template.name}>
              <button
                type="button"
                className={`template${selected === template.name ? ' selected' : ''}`}
                aria-pressed={selected === template.name}
                onClick={() => select(template.name)}
              >
                <span className="template-title">{pick(template.title, template.titleEn)}</span>
                <code className="template-name">{template.name}</code>
                {template.source && (
                  <span className="template-source">
                    {t('templates.source', { source: template.source })}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
        <div className="template-detail" ref={detail}>
          {selected ? <TemplateDetail name={selected} /> : <p className="muted">{t('templates.pick')}</p>}
        </div>
      </div>
    </section>
  );
}

function TemplateDetail({ name }: { name: string }) {
  const scheme = useQuery({
    queryKey: ['template', name],
    queryFn: ({ signal }) => toolsApi.template(name, { signal }),
  });
  if (!scheme.data) return <Status query={scheme} />;
  return <SchemeDetail scheme={scheme.data} />;
}
