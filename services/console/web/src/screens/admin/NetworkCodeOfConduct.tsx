import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { registry, unwrap } from '../../api/clients.js';
import { QueryState, Section } from '../../components/display.js';
import { Form, SubmitOrCancel, TextField } from '../../components/form.js';
import { useFormat } from '../../i18n/format.js';
import { AdminTabs } from './AdminTabs.js';
import { CodeText } from './OrganisationProfile.js';
import { acceptancesQuery, codeVersionsQuery, type CodeVersion } from './adminApi.js';

/** The code of conduct's versions, newest first, each with its grace period and who has accepted it. */
export function NetworkCodeOfConduct() {
  const { t } = useTranslation();
  const versions = useQuery(codeVersionsQuery);
  const [publishing, setPublishing] = useState(false);
  return (
    <div>
      <h1>{t('admin.network.title')}</h1>
      <AdminTabs area="network" current="/network/code-of-conduct" />
      <p className="lead">{t('admin.code.networkIntro')}</p>
      <div className="actions">
        {!publishing && (
          <button type="button" onClick={() => setPublishing(true)}>
            {t('admin.code.publish')}
          </button>
        )}
      </div>
      {publishing && <PublishForm onDone={() => setPublishing(false)} />}
      <QueryState query={versions}>
        {(items) =>
          items.length === 0 ? (
            <p className="muted">{t('admin.code.noneYet')}</p>
          ) : (
            <>
              {items.map((v, i) => (
                <VersionCard key={v.version} version={v} current={i === 0} />
              ))}
            </>
          )
        }
      </QueryState>
    </div>
  );
}

function VersionCard(props: { version: CodeVersion; current: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const v = props.version;
  const [open, setOpen] = useState(props.current);
  const acceptances = useQuery({ ...acceptancesQuery(v.version), enabled: open });
  return (
    <Section
      title={t('admin.code.version', { version: format.number(v.version) })}
      id={`code-version-${v.version}`}
      actions={props.current && <span className="badge badge-open">{t('admin.code.current')}</span>}
    >
      <CodeText version={v} />
      <p>{t('admin.code.acceptedBy', { n: format.number(v.acceptedBy) })}</p>
      <button type="button" className="button-secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('admin.code.hideWho') : t('admin.code.showWho')}
      </button>
      {open && (
        <QueryState query={acceptances}>
          {(data) => (
            <div className="columns">
              <div>
                <h3>{t('admin.code.acceptedHeading', { n: format.number(data.accepted.length) })}</h3>
                {data.accepted.length === 0 ? (
                  <p className="muted">{t('admin.code.nobody')}</p>
                ) : (
                  <ul>
                    {data.accepted.map((a) => (
                      <li key={a.organisationId}>
                        <bdi>{a.name}</bdi> — {format.dateTime(a.acceptedAt)}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
              <div>
                <h3>{t('admin.code.pendingHeading', { n: format.number(data.pending.length) })}</h3>
                {data.pending.length === 0 ? (
                  <p className="muted">{t('admin.code.everyone')}</p>
                ) : (
                  <ul>
                    {data.pending.map((p) => (
                      <li key={p.organisationId}>
                        <bdi>{p.name}</bdi>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </div>
          )}
        </QueryState>
      )}
    </Section>
  );
}

function PublishForm(props: { onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [graceDays, setGraceDays] = useState('30');
  const publish = useMutation({
    mutationFn: async () =>
      unwrap(registry.POST('/v1/code-of-conduct', { body: { title, text, gracePeriodDays: Number(graceDays) } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['admin'] });
      props.onDone();
    },
  });
  return (
    <Form
      label={t('admin.code.publishForm')}
      error={publish.error}
      onSubmit={() => publish.mutate()}
      actions={
        <SubmitOrCancel label={t('admin.code.publishConfirm')} onCancel={props.onDone} pending={publish.isPending} />
      }
    >
      <p className="alert alert-warning">{t('admin.code.publishWarning')}</p>
      <TextField label={t('admin.code.titleField')} pointer="/title" value={title} onChange={setTitle} required />
      <TextField label={t('admin.code.text')} pointer="/text" value={text} onChange={setText} multiline required />
      <TextField
        label={t('admin.code.graceField')}
        hint={t('admin.code.graceHint')}
        pointer="/gracePeriodDays"
        type="number"
        value={graceDays}
        onChange={setGraceDays}
        required
      />
    </Form>
  );
}
