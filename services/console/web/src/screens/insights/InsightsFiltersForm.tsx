import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { Form, SelectField, TextField } from '../../components/form.js';
import { REGIONS, SERVICE_CATEGORIES } from '../../vocabulary.js';
import { organisationsQuery, type InsightsFilters } from './insightsApi.js';
import { periodProblem } from './periodProblem.js';

/**
 * The period and the narrowing of every report on the page, named as the API names them (a refused
 * period shows at its field). Applied on submit, so the reports are fetched once per choice.
 */
export function InsightsFiltersForm(props: {
  filters: InsightsFilters;
  error: unknown;
  onApply: (filters: InsightsFilters) => void;
}) {
  const { t } = useTranslation();
  const organisations = useQuery(organisationsQuery);
  const [draft, setDraft] = useState<InsightsFilters>(props.filters);
  const [refused, setRefused] = useState<unknown>(null);
  const set = (patch: Partial<InsightsFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const any = t('directory.any');
  return (
    <Form
      label={t('insights.filters')}
      className="form insights-filters no-print"
      error={refused ?? periodProblem(props.filters, t('insights.toBeforeFrom')) ?? props.error}
      onSubmit={() => {
        const problem = periodProblem(draft, t('insights.toBeforeFrom'));
        setRefused(problem);
        if (!problem) props.onApply(draft);
      }}
      actions={<button type="submit">{t('insights.apply')}</button>}
    >
      <TextField
        label={t('insights.from')}
        hint={t('insights.fromHint')}
        pointer="/from"
        type="date"
        value={draft.from ?? ''}
        onChange={(v) => set({ from: v || undefined })}
      />
      <TextField
        label={t('insights.to')}
        hint={t('insights.toHint')}
        pointer="/to"
        type="date"
        value={draft.to ?? ''}
        onChange={(v) => set({ to: v || undefined })}
      />
      <SelectField
        label={t('directory.category')}
        pointer="/category"
        value={draft.category ?? ''}
        placeholder={any}
        options={SERVICE_CATEGORIES.map((c) => ({ value: c, label: t(`vocab.category.${c}`) }))}
        onChange={(v) => set({ category: (v || undefined) as InsightsFilters['category'] })}
      />
      <SelectField
        label={t('directory.area')}
        pointer="/area"
        value={draft.area ?? ''}
        placeholder={any}
        options={REGIONS.map((r) => ({ value: r, label: t(`vocab.region.${r}`) }))}
        onChange={(v) => set({ area: v || undefined })}
      />
      <SelectField
        label={t('insights.organisation')}
        pointer="/organisationId"
        value={draft.organisationId ?? ''}
        placeholder={t('insights.wholeNetwork')}
        options={(organisations.data ?? [])
          .map((o) => ({ value: o.id, label: o.name }))
          .sort((a, b) => a.label.localeCompare(b.label))}
        onChange={(v) => set({ organisationId: v || undefined })}
      />
    </Form>
  );
}
