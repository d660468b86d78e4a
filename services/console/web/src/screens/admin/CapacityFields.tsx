import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Form, SelectField, SubmitOrCancel, TextField } from '../../components/form.js';
import { INTAKE_STATUSES } from '../../vocabulary.js';
import type { Schemas } from './adminApi.js';
import { capacityDraftOf, capacityOf, type CapacityDraft } from './serviceDrafts.js';

type Capacity = Schemas['Capacity'];

/**
 * Places free, in total and the intake. `pointer` is where the capacity sits in the form's body: the
 * capacity command's body is the capacity itself (""), a registration holds it under "/capacity".
 */
export function CapacityFields(props: {
  draft: CapacityDraft;
  onChange: (draft: CapacityDraft) => void;
  pointer: '' | '/capacity';
}) {
  const { t } = useTranslation();
  const set = <K extends keyof CapacityDraft>(key: K, value: CapacityDraft[K]) =>
    props.onChange({ ...props.draft, [key]: value });
  return (
    <div className="row">
      <TextField
        label={t('admin.services.available')}
        pointer={`${props.pointer}/available`}
        type="number"
        value={props.draft.available}
        onChange={(v) => set('available', v)}
      />
      <TextField
        label={t('admin.services.maximum')}
        pointer={`${props.pointer}/maximum`}
        type="number"
        value={props.draft.maximum}
        onChange={(v) => set('maximum', v)}
      />
      <SelectField
        label={t('admin.services.intake')}
        pointer={`${props.pointer}/intake`}
        value={props.draft.intake}
        onChange={(v) => set('intake', v as Capacity['intake'])}
        options={INTAKE_STATUSES.map((i) => ({ value: i, label: t(`vocab.intake.${i}`) }))}
      />
    </div>
  );
}

/** Changes a service's capacity on its own. */
export function CapacityForm(props: {
  capacity: Capacity;
  error: unknown;
  pending: boolean;
  onSave: (capacity: Capacity) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => capacityDraftOf(props.capacity));
  return (
    <Form
      label={t('admin.services.capacityForm')}
      error={props.error}
      onSubmit={() => props.onSave(capacityOf(draft))}
      actions={<SubmitOrCancel label={t('common.save')} onCancel={props.onCancel} pending={props.pending} />}
    >
      <CapacityFields draft={draft} onChange={setDraft} pointer="" />
    </Form>
  );
}
