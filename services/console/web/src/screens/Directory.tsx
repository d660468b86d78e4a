import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { registry, unwrap } from '../api/clients.js';
import { useService, type HsdsPage, type HsdsService } from '../api/queries.js';
import { QueryState } from '../components/display.js';
import { Form, SelectField, TextField } from '../components/form.js';
import { useFormat } from '../i18n/format.js';
import { REGIONS, SERVICE_CATEGORIES, SERVICE_LANGUAGES } from '../vocabulary.js';

const PER_PAGE = 10;

/** One result: the list item, completed by the service's own record (organisation, languages, areas). */
function ServiceCard(props: { service: HsdsService }) {
  const { t } = useTranslation();
  const format = useFormat();
  const detail = useService(props.service.id).data;
  const term = detail?.attributes?.[0]?.taxonomy_term?.code;
  const closed = props.service.status === 'temporarily closed';
  return (
    <li className="card result">
      <h3>{props.service.name}</h3>
      <p className="muted">{detail?.organization?.name ?? '…'}</p>
      <dl className="facts">
        {term && (
          <>
            <dt>{t('directory.category')}</dt>
            <dd>{t(`vocab.taxonomy.${term}`, { defaultValue: term })}</dd>
          </>
        )}
        <dt>{t('directory.intake')}</dt>
        <dd>
          <span className={`badge ${closed ? 'badge-closed' : 'badge-open'}`}>
            {closed ? t('vocab.intake.closed') : t('directory.takingReferrals')}
          </span>
        </dd>
        {detail?.languages && (
          <>
            <dt>{t('directory.languages')}</dt>
            <dd>{detail.languages.map((l) => format.languageName(l.code)).join(', ')}</dd>
          </>
        )}
        {detail?.service_areas && (
          <>
            <dt>{t('directory.area')}</dt>
            <dd>
              {detail.service_areas
                .map((a) => t(`vocab.region.${a.extent}`, { defaultValue: a.name ?? a.extent }))
                .join(', ')}
            </dd>
          </>
        )}
      </dl>
    </li>
  );
}

/** The public directory: services of approved members, searchable without signing in. */
export function Directory() {
  const { t } = useTranslation();
  const format = useFormat();
  const search = useSearch({ from: '/directory' });
  const navigate = useNavigate({ from: '/directory' });
  const [q, setQ] = useState(search.q ?? '');
  const page = search.page ?? 1;
  const results = useQuery({
    queryKey: ['directory', search],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      (
        await unwrap(
          registry.GET('/hsds/services', {
            params: {
              query: {
                page,
                per_page: PER_PAGE,
                ...(search.q ? { search: search.q } : {}),
                ...(search.category ? { taxonomy_term_id: search.category } : {}),
                ...(search.language ? { language: search.language } : {}),
                ...(search.region ? { region: search.region } : {}),
                ...(search.open ? { intake_open: true } : {}),
              },
            },
          }),
        )
      ).data as unknown as HsdsPage<HsdsService>,
  });
  const set = (patch: Partial<typeof search>) => void navigate({ search: { ...search, ...patch, page: undefined } });
  return (
    <div className="with-sidebar">
      <h1>{t('directory.title')}</h1>
      <p className="lead">{t('directory.intro')}</p>
      <Form
        label={t('directory.filters')}
        className="filters"
        onSubmit={() => set({ q: q.trim() || undefined })}
        error={results.error}
        actions={<button type="submit">{t('directory.search')}</button>}
      >
        <TextField label={t('directory.searchLabel')} type="search" value={q} onChange={setQ} pointer="/search" />
        <SelectField
          label={t('directory.category')}
          pointer="/taxonomy_term_id"
          value={search.category ?? ''}
          placeholder={t('directory.any')}
          options={SERVICE_CATEGORIES.map((c) => ({ value: c, label: t(`vocab.category.${c}`) }))}
          onChange={(v) => set({ category: v || undefined })}
        />
        <SelectField
          label={t('directory.language')}
          pointer="/language"
          value={search.language ?? ''}
          placeholder={t('directory.any')}
          options={SERVICE_LANGUAGES.map((l) => ({ value: l, label: format.languageName(l) }))}
          onChange={(v) => set({ language: v || undefined })}
        />
        <SelectField
          label={t('directory.area')}
          pointer="/region"
          value={search.region ?? ''}
          placeholder={t('directory.any')}
          options={REGIONS.map((r) => ({ value: r, label: t(`vocab.region.${r}`) }))}
          onChange={(v) => set({ region: v || undefined })}
        />
        <div className="checkbox">
          <input
            type="checkbox"
            id="intake-open"
            checked={search.open ?? false}
            onChange={(e) => set({ open: e.target.checked || undefined })}
          />
          <label htmlFor="intake-open">{t('directory.openOnly')}</label>
        </div>
      </Form>
      <section aria-labelledby="results-heading" className="results">
        <h2 id="results-heading">{t('directory.results')}</h2>
        <QueryState query={results}>
          {(data) => (
            <>
              <p role="status">{t('directory.found', { n: format.number(data.total_items) })}</p>
              <ul className="result-list">
                {data.contents.map((service) => (
                  <ServiceCard key={service.id} service={service} />
                ))}
              </ul>
              {data.total_pages > 1 && (
                <nav className="pager" aria-label={t('common.pages')}>
                  <button
                    type="button"
                    disabled={page <= 1}
                    onClick={() => void navigate({ search: { ...search, page: page - 1 } })}
                  >
                    {t('common.previous')}
                  </button>
                  <span>
                    {t('common.pageOf', { page: format.number(page), pages: format.number(data.total_pages) })}
                  </span>
                  <button
                    type="button"
                    disabled={page >= data.total_pages}
                    onClick={() => void navigate({ search: { ...search, page: page + 1 } })}
                  >
                    {t('common.next')}
                  </button>
                </nav>
              )}
            </>
          )}
        </QueryState>
      </section>
    </div>
  );
}
