import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { registry, unwrap } from '../../api/clients.js';
import { QueryState, Section } from '../../components/display.js';
import { Form, SubmitOrCancel, TextField } from '../../components/form.js';
import { useFormat } from '../../i18n/format.js';
import { AdminTabs } from './AdminTabs.js';
import { LicenceForm } from './LicenceForm.js';
import { organisationsQuery, type OrganisationSummary, type Schemas } from './adminApi.js';

/** The network admin's first screen: organisations that applied to join, to approve with a licence or decline. */
export function MembershipApplications() {
  const { t } = useTranslation();
  const applications = useQuery(organisationsQuery('applied'));
  const [decided, setDecided] = useState<string | null>(null);
  return (
    <div>
      <h1>{t('admin.network.title')}</h1>
      <AdminTabs area="network" current="/network/applications" />
      <p className="lead">{t('admin.applications.intro')}</p>
      {decided && (
        <p className="alert alert-ok" role="status">
          {decided}
        </p>
      )}
      <QueryState query={applications}>
        {(items) =>
          items.length === 0 ? (
            <p className="muted">{t('admin.applications.none')}</p>
          ) : (
            <>
              {items.map((o) => (
                <ApplicationCard key={o.organisationId} application={o} onDecided={setDecided} />
              ))}
            </>
          )
        }
      </QueryState>
    </div>
  );
}

function ApplicationCard(props: { application: OrganisationSummary; onDecided: (message: string) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const a = props.application;
  const [mode, setMode] = useState<'approve' | 'decline' | null>(null);
  const [reason, setReason] = useState('');
  const path = { params: { path: { id: a.organisationId } } };
  const done = async (message: string) => {
    setMode(null);
    props.onDecided(message);
    await queryClient.invalidateQueries({ queryKey: ['admin', 'organisations'] });
  };
  const approve = useMutation({
    mutationFn: async (licence: Schemas['Licence']) =>
      unwrap(registry.POST('/v1/organisations/{id}/approve', { ...path, body: licence })),
    onSuccess: () => done(t('admin.applications.approved', { name: a.name })),
  });
  const decline = useMutation({
    mutationFn: async () => unwrap(registry.POST('/v1/organisations/{id}/reject', { ...path, body: { reason } })),
    onSuccess: () => done(t('admin.applications.declined', { name: a.name })),
  });
  return (
    <Section title={a.name} id={`application-${a.organisationId}`}>
      <dl className="facts">
        <dt>{t('admin.organisation.kind')}</dt>
        <dd>{t(`admin.kinds.${a.kind}`)}</dd>
        <dt>{t('admin.organisation.legalIdentifier')}</dt>
        <dd>
          <bdi>{a.legalIdentifier}</bdi> ({format.countryName(a.country)})
        </dd>
        <dt>{t('admin.organisation.region')}</dt>
        <dd>{t(`vocab.region.${a.region}`, { defaultValue: a.region })}</dd>
        <dt>{t('admin.organisation.email')}</dt>
        <dd>
          <bdi>{a.email}</bdi>
        </dd>
        <dt>{t('admin.applications.appliedAt')}</dt>
        <dd>{format.dateTime(a.updatedAt)}</dd>
      </dl>
      {mode === null && (
        <div className="actions">
          <button type="button" onClick={() => setMode('approve')}>
            {t('admin.applications.approve')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setMode('decline')}>
            {t('admin.applications.decline')}
          </button>
        </div>
      )}
      {mode === 'approve' && (
        <LicenceForm
          label={t('admin.applications.approveOf', { name: a.name })}
          submit={t('admin.applications.approveConfirm')}
          error={approve.error}
          pending={approve.isPending}
          onSubmit={(licence) => approve.mutate(licence)}
          onCancel={() => setMode(null)}
        />
      )}
      {mode === 'decline' && (
        <Form
          label={t('admin.applications.declineOf', { name: a.name })}
          error={decline.error}
          onSubmit={() => decline.mutate()}
          actions={
            <SubmitOrCancel
              label={t('admin.applications.declineConfirm')}
              danger
              onCancel={() => setMode(null)}
              pending={decline.isPending}
            />
          }
        >
          <TextField
            label={t('admin.reason')}
            hint={t('admin.applications.reasonHint')}
            pointer="/reason"
            value={reason}
            onChange={setReason}
            multiline
            required
          />
        </Form>
      )}
    </Section>
  );
}
