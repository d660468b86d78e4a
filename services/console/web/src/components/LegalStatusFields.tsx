import { useTranslation } from 'react-i18next';
import type { LegalStatus } from '../api/queries.js';
import { LEGAL_STATUSES } from '../vocabulary.js';
import { SelectField, TextField } from './form.js';

type Period = NonNullable<LegalStatus['residencePermit']>;

/** Legal status with its dates; `base` is the JSON pointer of the legal status in the request body. */
export function LegalStatusFields(props: { value: LegalStatus; onChange: (value: LegalStatus) => void; base: string }) {
  const { t } = useTranslation();
  const { value, onChange, base } = props;
  const date = (key: 'applicationDate' | 'decisionDate' | 'mustLeaveReceptionBy') => (v: string) => {
    const next = { ...value };
    if (v) next[key] = v;
    else delete next[key];
    onChange(next);
  };
  const period = (key: 'residencePermit' | 'workPermit', end: keyof Period) => (v: string) => {
    const current: Partial<Period> = { ...(value[key] ?? {}) };
    if (v) current[end] = v;
    else delete current[end];
    const next = { ...value };
    if (current.validFrom || current.validUntil) next[key] = current as Period;
    else delete next[key];
    onChange(next);
  };
  return (
    <fieldset className="group">
      <legend>{t('client.legalStatus')}</legend>
      <SelectField
        label={t('client.status')}
        pointer={`${base}/status`}
        value={value.status}
        required
        options={LEGAL_STATUSES.map((s) => ({ value: s, label: t(`vocab.legalStatus.${s}`) }))}
        onChange={(v) => onChange({ ...value, status: v as LegalStatus['status'] })}
      />
      <div className="row">
        <TextField
          label={t('client.applicationDate')}
          type="date"
          pointer={`${base}/applicationDate`}
          value={value.applicationDate ?? ''}
          onChange={date('applicationDate')}
        />
        <TextField
          label={t('client.decisionDate')}
          type="date"
          pointer={`${base}/decisionDate`}
          value={value.decisionDate ?? ''}
          onChange={date('decisionDate')}
        />
      </div>
      <div className="row">
        <TextField
          label={t('client.residencePermitFrom')}
          type="date"
          pointer={`${base}/residencePermit/validFrom`}
          value={value.residencePermit?.validFrom ?? ''}
          onChange={period('residencePermit', 'validFrom')}
        />
        <TextField
          label={t('client.residencePermitUntil')}
          type="date"
          pointer={`${base}/residencePermit/validUntil`}
          value={value.residencePermit?.validUntil ?? ''}
          onChange={period('residencePermit', 'validUntil')}
        />
      </div>
      <div className="row">
        <TextField
          label={t('client.workPermitFrom')}
          type="date"
          pointer={`${base}/workPermit/validFrom`}
          value={value.workPermit?.validFrom ?? ''}
          onChange={period('workPermit', 'validFrom')}
        />
        <TextField
          label={t('client.workPermitUntil')}
          type="date"
          pointer={`${base}/workPermit/validUntil`}
          value={value.workPermit?.validUntil ?? ''}
          onChange={period('workPermit', 'validUntil')}
        />
      </div>
      <TextField
        label={t('client.mustLeaveReceptionBy')}
        type="date"
        pointer={`${base}/mustLeaveReceptionBy`}
        value={value.mustLeaveReceptionBy ?? ''}
        onChange={date('mustLeaveReceptionBy')}
        hint={t('client.receptionHint')}
      />
    </fieldset>
  );
}
