import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from '@tanstack/react-query';
import { problemText } from '../../components/form.js';
import { downloadCsv, type InsightsFilters, type Report } from './insightsApi.js';

/** Saves one report of the period as a CSV file; says which file it saved, or why it could not. */
export function CsvButton(props: { report: Report; filters: InsightsFilters; label: string }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<string | null>(null);
  const download = useMutation({
    mutationFn: () => downloadCsv(props.report, props.filters),
    onSuccess: setSaved,
  });
  return (
    <div className="csv-download no-print">
      <button
        type="button"
        className="button-secondary"
        disabled={download.isPending}
        onClick={() => download.mutate()}
      >
        {props.label}
      </button>
      <span role="status" className="muted">
        {saved && t('insights.csvSaved', { file: saved })}
      </span>
      {download.isError && (
        <span className="field-error" role="alert">
          {problemText(download.error, t)}
        </span>
      )}
    </div>
  );
}
