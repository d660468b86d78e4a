import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Form, SubmitOrCancel, TextField } from '../../components/form.js';
import type { Schemas } from './adminApi.js';

/** A calendar date as the licence's last moment (end of that day, UTC). */
const endOfDay = (date: string): string => (date ? `${date}T23:59:59.000Z` : '');

/** Licence number and last day of validity: for approving an application and for renewing a licence. */
export function LicenceForm(props: {
  label: string;
  submit: string;
  initialNumber?: string;
  error: unknown;
  pending: boolean;
  onSubmit: (licence: Schemas['Licence']) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [licenceNumber, setNumber] = useState(props.initialNumber ?? '');
  const [validUntil, setValidUntil] = useState('');
  return (
    <Form
      label={props.label}
      error={props.error}
      onSubmit={() => props.onSubmit({ licenceNumber, licenceValidUntil: endOfDay(validUntil) })}
      actions={<SubmitOrCancel label={props.submit} onCancel={props.onCancel} pending={props.pending} />}
    >
      <div className="row">
        <TextField
          label={t('admin.licences.number')}
          pointer="/licenceNumber"
          value={licenceNumber}
          onChange={setNumber}
          required
        />
        <TextField
          label={t('admin.licences.lastDay')}
          pointer="/licenceValidUntil"
          type="date"
          value={validUntil}
          onChange={setValidUntil}
          required
        />
      </div>
    </Form>
  );
}
