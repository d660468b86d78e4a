import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { registry, unwrap } from '../../api/clients.js';
import { useSession } from '../../api/queries.js';
import { QueryState, Section } from '../../components/display.js';
import { problemText } from '../../components/form.js';
import { useFormat } from '../../i18n/format.js';
import { AdminTabs } from './AdminTabs.js';
import { servicesQuery, type ManagedService, type Schemas } from './adminApi.js';
import { CapacityForm } from './CapacityFields.js';
import { RegisterServiceForm } from './RegisterServiceForm.js';
import { ServiceDetailsForm } from './ServiceDetailsForm.js';

/** The organisation's services: what each offers, to whom, where and when, and its intake in one click. */
export function OrganisationServices() {
  const { t } = useTranslation();
  const session = useSession();
  const organisationId = session?.organisationId ?? '';
  const services = useQuery({ ...servicesQuery(organisationId), enabled: Boolean(session) });
  const [registering, setRegistering] = useState(false);
  const [registered, setRegistered] = useState<string | null>(null);
  return (
    <div>
      <h1>{t('admin.organisation.title')}</h1>
      <AdminTabs area="organisation" current="/organisation/services" />
      <p className="lead">{t('admin.services.intro')}</p>
      {registered !== null && (
        <p className="alert alert-ok" role="status">
          <Trans i18nKey="admin.services.registered" values={{ name: registered }} components={{ name: <bdi /> }} />
        </p>
      )}
      {registering ? (
        <Section title={t('admin.services.registerForm')} id="new-service">
          <RegisterServiceForm
            organisationId={organisationId}
            onDone={(name) => {
              setRegistering(false);
              setRegistered(name);
            }}
          />
        </Section>
      ) : (
        // Above the list, so that an organisation with no service yet is offered it as well.
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              setRegistered(null);
              setRegistering(true);
            }}
          >
            {t('admin.services.register')}
          </button>
        </div>
      )}
      <QueryState query={services}>
        {(items) =>
          items.length === 0 ? (
            <p className="muted">{t('admin.services.none')}</p>
          ) : (
            <>
              {items.map((s) => (
                <ServiceCard key={s.serviceId} service={s} />
              ))}
            </>
          )
        }
      </QueryState>
    </div>
  );
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

function ServiceCard(props: { service: ManagedService }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const s = props.service;
  const d = s.details;
  const [editing, setEditing] = useState<'details' | 'capacity' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', 'services'] });
  const setCapacity = useMutation({
    mutationFn: async (capacity: Schemas['Capacity']) =>
      unwrap(registry.PUT('/v1/services/{id}/capacity', { params: { path: { id: s.serviceId } }, body: capacity })),
    onSuccess: async () => {
      setError(null);
      setEditing(null);
      await refresh();
    },
    onError: setError,
  });
  const open = s.capacity.intake === 'open';
  const active = s.status === 'active';
  const weekdayName = (weekday: number) =>
    new Intl.DateTimeFormat(format.locale, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, weekday)),
    );
  return (
    <Section
      title={d.name}
      id={`service-${s.serviceId}`}
      actions={
        active && (
          <button
            type="button"
            className={open ? 'button-secondary' : undefined}
            disabled={setCapacity.isPending}
            onClick={() => setCapacity.mutate({ ...s.capacity, intake: open ? 'closed' : 'open' })}
          >
            {open ? t('admin.services.closeIntake') : t('admin.services.openIntake')}
          </button>
        )
      }
    >
      <p>
        <span className={`badge badge-${active ? s.capacity.intake : 'closed'}`}>
          {active ? t(`vocab.intake.${s.capacity.intake}`) : t('admin.services.withdrawn')}
        </span>{' '}
        {t('admin.services.places', {
          available: format.number(s.capacity.available),
          maximum: format.number(s.capacity.maximum),
        })}
      </p>
      {error !== null && editing === null && (
        <div className="alert alert-error" role="alert">
          {problemText(error, t)}
        </div>
      )}
      <dl className="facts">
        <dt>{t('admin.services.category')}</dt>
        <dd>{t(`vocab.taxonomy.${d.categoryId}`, { defaultValue: d.categoryId })}</dd>
        <dt>{t('admin.services.languages')}</dt>
        <dd>{d.languages.map((l) => format.languageName(l)).join(', ')}</dd>
        <dt>{t('admin.services.areas')}</dt>
        <dd>{d.serviceAreas.map((r) => t(`vocab.region.${r}`, { defaultValue: r })).join(', ')}</dd>
        <dt>{t('admin.services.eligibility')}</dt>
        <dd>
          {d.eligibility.legalStatuses.map((l) => t(`vocab.legalStatus.${l}`)).join(', ')}
          {' · '}
          {t('admin.services.ages', {
            min: d.eligibility.minAge === null ? '—' : format.number(d.eligibility.minAge),
            max: d.eligibility.maxAge === null ? '—' : format.number(d.eligibility.maxAge),
          })}
        </dd>
        <dt>{t('admin.services.responseTime')}</dt>
        <dd>{format.number(d.responseTimeHours, { style: 'unit', unit: 'hour', unitDisplay: 'long' })}</dd>
        {d.locations.map((l) => (
          <div key={l.locationId}>
            <dt>
              <bdi>{l.name}</bdi>
            </dt>
            <dd>
              <bdi>
                {l.address.street}, {l.address.locality}
              </bdi>
              <br />
              {l.schedule.length === 0
                ? t('admin.services.noHours')
                : WEEKDAYS.flatMap((w) =>
                    l.schedule.filter((h) => h.weekday === w).map((h) => `${weekdayName(w)} ${h.opens}–${h.closes}`),
                  ).join(' · ')}
            </dd>
          </div>
        ))}
      </dl>
      {active && editing === null && (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => setEditing('capacity')}>
            {t('admin.services.editCapacity')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setEditing('details')}>
            {t('admin.services.editDetails')}
          </button>
        </div>
      )}
      {editing === 'capacity' && (
        <CapacityForm
          capacity={s.capacity}
          error={error}
          pending={setCapacity.isPending}
          onSave={(c) => setCapacity.mutate(c)}
          onCancel={() => {
            setError(null);
            setEditing(null);
          }}
        />
      )}
      {editing === 'details' && (
        <ServiceDetailsForm
          service={s}
          onDone={async () => {
            setEditing(null);
            await refresh();
          }}
        />
      )}
    </Section>
  );
}
