import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { idempotencyKey, registry, unwrap } from '../../api/clients.js';
import { Form, SubmitOrCancel } from '../../components/form.js';
import { CapacityFields } from './CapacityFields.js';
import { ServiceDetailsFields } from './ServiceDetailsForm.js';
import {
  capacityDraftOf,
  capacityOf,
  detailsDraftOf,
  detailsOf,
  NEW_SERVICE_CAPACITY,
  NEW_SERVICE_DETAILS,
} from './serviceDrafts.js';

/** Registers a service of the organisation: its details and capacity in one form, refused fields named. */
export function RegisterServiceForm(props: {
  organisationId: string;
  /** The new service's name once registered (and the list refreshed), null when cancelled. */
  onDone: (registered: string | null) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [details, setDetails] = useState(() => detailsDraftOf(NEW_SERVICE_DETAILS));
  const [capacity, setCapacity] = useState(() => capacityDraftOf(NEW_SERVICE_CAPACITY));
  const register = useMutation({
    mutationFn: async () =>
      unwrap(
        registry.POST('/v1/services', {
          params: { header: { 'Idempotency-Key': idempotencyKey() } },
          body: { organisationId: props.organisationId, details: detailsOf(details), capacity: capacityOf(capacity) },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['admin', 'services'] });
      props.onDone(details.details.name);
    },
  });
  return (
    <Form
      label={t('admin.services.registerForm')}
      error={register.error}
      onSubmit={() => register.mutate()}
      actions={
        <SubmitOrCancel
          label={t('admin.services.registerSubmit')}
          onCancel={() => props.onDone(null)}
          pending={register.isPending}
        />
      }
    >
      <ServiceDetailsFields draft={details} onChange={setDetails} />
      <fieldset className="group">
        <legend>{t('admin.services.capacityForm')}</legend>
        <CapacityFields draft={capacity} onChange={setCapacity} pointer="/capacity" />
      </fieldset>
    </Form>
  );
}
