import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { registry, unwrap } from '../../api/clients.js';
import { useSession } from '../../api/queries.js';
import { QueryState, Section } from '../../components/display.js';
import { problemText } from '../../components/form.js';
import { useFormat } from '../../i18n/format.js';
import { AdminTabs } from './AdminTabs.js';
import { OrganisationProfileForm } from './OrganisationProfileForm.js';
import {
  codeVersionsQuery,
  daysUntil,
  organisationQuery,
  type CodeVersion,
  type OrganisationRecord,
} from './adminApi.js';

/** The org admin's first screen: the organisation as the network knows it, and its code-of-conduct acceptance. */
export function OrganisationProfile() {
  const { t } = useTranslation();
  const session = useSession();
  const organisation = useQuery({ ...organisationQuery(session?.organisationId ?? ''), enabled: Boolean(session) });
  return (
    <div>
      <h1>{t('admin.organisation.title')}</h1>
      <AdminTabs area="organisation" current="/organisation" />
      <QueryState query={organisation}>
        {({ organisation: org, etag }) => (
          <>
            <CodeOfConductCard organisation={org} />
            <ProfileCard organisation={org} etag={etag} />
          </>
        )}
      </QueryState>
    </div>
  );
}

function ProfileCard(props: { organisation: OrganisationRecord; etag: string | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const { profile, licence, status } = props.organisation;
  const editable = status !== 'rejected' && status !== 'withdrawn';
  const done = async () => {
    setEditing(false);
    await queryClient.invalidateQueries({ queryKey: ['admin'] });
  };
  return (
    <Section
      title={t('admin.organisation.profile')}
      id="organisation-profile"
      actions={
        editable &&
        !editing && (
          <button type="button" className="button-secondary" onClick={() => setEditing(true)}>
            {t('admin.organisation.edit')}
          </button>
        )
      }
    >
      <p className="hint">{t('admin.organisation.profileHint')}</p>
      {editing ? (
        <OrganisationProfileForm organisation={props.organisation} etag={props.etag} onDone={done} />
      ) : (
        <dl className="facts">
          <dt>{t('admin.organisation.name')}</dt>
          <dd>
            <bdi>{profile.name}</bdi>
          </dd>
          <dt>{t('admin.organisation.kind')}</dt>
          <dd>{t(`admin.kinds.${profile.kind}`)}</dd>
          <dt>{t('admin.organisation.status')}</dt>
          <dd>
            <span className={`badge status-${status}`}>{t(`admin.membership.${status}`)}</span>
          </dd>
          <dt>{t('admin.organisation.legalIdentifier')}</dt>
          <dd>
            <bdi>{profile.legalIdentifier}</bdi>
          </dd>
          <dt>{t('admin.organisation.dataProtection')}</dt>
          <dd>
            <bdi>{profile.dataProtectionRegistration}</bdi>
          </dd>
          <dt>{t('admin.organisation.address')}</dt>
          <dd>
            <bdi>
              {profile.address.street}, {profile.address.postalCode} {profile.address.locality}
            </bdi>
            , {t(`vocab.region.${profile.region}`, { defaultValue: profile.region })},{' '}
            {format.countryName(profile.country)}
          </dd>
          <dt>{t('admin.organisation.email')}</dt>
          <dd>
            <bdi>{profile.contact.email}</bdi>
          </dd>
          {profile.contact.phone && (
            <>
              <dt>{t('admin.organisation.phone')}</dt>
              <dd>
                <bdi>{profile.contact.phone}</bdi>
              </dd>
            </>
          )}
          {profile.contact.website && (
            <>
              <dt>{t('admin.organisation.website')}</dt>
              <dd>
                <bdi>{profile.contact.website}</bdi>
              </dd>
            </>
          )}
          <dt>{t('admin.organisation.licence')}</dt>
          <dd>
            {licence ? (
              <>
                <bdi>{licence.licenceNumber}</bdi> —{' '}
                {t('admin.licences.validUntil', { date: format.calendarDate(licence.licenceValidUntil) })}
                {daysUntil(licence.licenceValidUntil) < 0 && (
                  <span className="badge badge-overdue">{t('admin.licences.expired')}</span>
                )}
              </>
            ) : (
              t('admin.licences.none')
            )}
          </dd>
        </dl>
      )}
    </Section>
  );
}

function CodeOfConductCard(props: { organisation: OrganisationRecord }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const versions = useQuery(codeVersionsQuery);
  const [error, setError] = useState<unknown>(null);
  const { acceptedCodeVersion, currentCodeVersion, organisationId } = props.organisation;
  const accept = useMutation({
    mutationFn: async (version: number) =>
      unwrap(
        registry.POST('/v1/organisations/{id}/code-of-conduct-acceptance', {
          params: { path: { id: organisationId } },
          body: { version },
        }),
      ),
    onSuccess: async () => {
      setError(null);
      await queryClient.invalidateQueries({ queryKey: ['admin'] });
    },
    onError: setError,
  });
  const upToDate = currentCodeVersion === null || acceptedCodeVersion === currentCodeVersion;
  return (
    <Section title={t('admin.code.title')} id="code-of-conduct">
      {upToDate ? (
        <p className="alert alert-ok">
          {currentCodeVersion === null
            ? t('admin.code.noneYet')
            : t('admin.code.accepted', { version: format.number(acceptedCodeVersion ?? 0) })}
        </p>
      ) : (
        <div className="alert alert-warning" role="status">
          {acceptedCodeVersion === null
            ? t('admin.code.neverAccepted', { current: format.number(currentCodeVersion!) })
            : t('admin.code.outdated', {
                version: format.number(acceptedCodeVersion),
                current: format.number(currentCodeVersion!),
              })}
        </div>
      )}
      <QueryState query={versions}>
        {(items) => {
          const current = items.find((v) => v.version === currentCodeVersion);
          return current ? (
            <CodeText
              version={current}
              action={
                !upToDate && (
                  <button type="button" onClick={() => accept.mutate(current.version)} disabled={accept.isPending}>
                    {t('admin.code.accept', { version: format.number(current.version) })}
                  </button>
                )
              }
            />
          ) : null;
        }}
      </QueryState>
      {error !== null && (
        <div className="alert alert-error" role="alert">
          {problemText(error, t)}
        </div>
      )}
    </Section>
  );
}

/** A version's title, dates, grace period (when it has one) and text. */
export function CodeText(props: { version: CodeVersion; action?: ReactNode }) {
  const { t } = useTranslation();
  const format = useFormat();
  const v = props.version;
  return (
    <div>
      <h3>
        <bdi>{v.title}</bdi> — {t('admin.code.version', { version: format.number(v.version) })}
      </h3>
      <p className="muted">
        {t('admin.code.publishedAt', { date: format.dateTime(v.publishedAt) })}
        {' · '}
        {v.gracePeriodDays === null
          ? t('admin.code.noGrace')
          : t('admin.code.grace', { days: format.number(v.gracePeriodDays) })}
      </p>
      <div className="message-text">{v.text}</div>
      {props.action && <div className="actions">{props.action}</div>}
    </div>
  );
}
