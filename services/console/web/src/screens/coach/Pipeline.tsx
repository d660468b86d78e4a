import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { matching, unwrap } from '../../api/clients.js';
import { useSession } from '../../api/queries.js';
import { QueryState } from '../../components/display.js';
import { CheckboxGroup, Form, SelectField, SubmitOrCancel, TextField } from '../../components/form.js';
import { useFormat } from '../../i18n/format.js';
import { isoDateIn, PIPELINE_STAGES, placementsQuery, useOpportunityTitles, type Placement } from './coachApi.js';
import { APPLICATION_FIELDS, NOT_HIRED_REASONS } from './opportunityVocabulary.js';
import { CandidateName } from './CandidateName.js';
import type { PipelineSearch } from './routes.js';
import { ErrorAlert } from './MatchExplained.js';
import './coach.css';

type Field = (typeof APPLICATION_FIELDS)[number];
/** Why employment ended, as the follow-up records it (the API takes any snake_case code). */
const EMPLOYMENT_END_REASONS = ['contract_ended', 'resigned', 'dismissed', 'other'] as const;

/**
 * The pipeline by stage (proposed → applied → interview → hired), each placement with its next step and,
 * once hired, its follow-ups at 1, 3 and 6 months with their due dates. Ended placements are listed apart.
 */
export function Pipeline() {
  const { t } = useTranslation();
  const format = useFormat();
  const search = useSearch({ strict: false }) as PipelineSearch;
  const list = useQuery(placementsQuery(search));
  const session = useSession();
  const titles = useOpportunityTitles(session?.organisationId);
  const filtered = Boolean(search.stage || search.followUpDue);
  return (
    <div>
      <h1>{t('coach.pipeline.title')}</h1>
      <p className="lead">{t('coach.pipeline.intro')}</p>
      <nav className="chips" aria-label={t('coach.pipeline.filters')}>
        <Link
          className={!filtered ? 'chip chip-active' : 'chip'}
          to="/coach/pipeline"
          search={{}}
          aria-current={!filtered ? 'page' : undefined}
        >
          {t('coach.pipeline.all')}
        </Link>
        {[...PIPELINE_STAGES, 'ended' as const].map((stage) => (
          <Link
            key={stage}
            className={search.stage === stage ? 'chip chip-active' : 'chip'}
            to="/coach/pipeline"
            search={{ stage }}
            aria-current={search.stage === stage ? 'page' : undefined}
          >
            {t(`coach.stage.${stage}`)}
            {list.data && !filtered && <span className="count"> {format.number(list.data.stages[stage])}</span>}
          </Link>
        ))}
        <Link
          className={search.followUpDue ? 'chip chip-active' : 'chip chip-overdue'}
          to="/coach/pipeline"
          search={{ followUpDue: true }}
          aria-current={search.followUpDue ? 'page' : undefined}
        >
          {t('coach.pipeline.followUpsDue')}
          {list.data && !filtered && <span className="count"> {format.number(list.data.followUpsDue)}</span>}
        </Link>
      </nav>
      <QueryState query={list}>
        {(data) =>
          filtered ? (
            <section className="card" aria-labelledby="pipeline-filtered">
              <h2 id="pipeline-filtered">
                {search.followUpDue ? t('coach.pipeline.followUpsDue') : t(`coach.stage.${search.stage!}`)}
              </h2>
              {data.items.length === 0 ? (
                <p className="muted">
                  {search.followUpDue ? t('coach.pipeline.noFollowUpsDue') : t('coach.pipeline.emptyStage')}
                </p>
              ) : (
                <ul className="plain">
                  {data.items.map((p) => (
                    <PlacementCard key={p.id} placement={p} title={titles.get(p.opportunityId)} />
                  ))}
                </ul>
              )}
            </section>
          ) : (
            <>
              {data.items.length === 0 && (
                <div className="alert alert-warning" role="note">
                  {t('coach.pipeline.empty')}
                </div>
              )}
              <div className="pipeline">
                {PIPELINE_STAGES.map((stage) => {
                  const items = data.items.filter((p) => p.stage === stage);
                  return (
                    <section key={stage} className="pipeline-column" aria-labelledby={`stage-${stage}`}>
                      <h2 id={`stage-${stage}`}>
                        {t(`coach.stage.${stage}`)} <span className="count">{format.number(items.length)}</span>
                      </h2>
                      {items.length === 0 ? (
                        <p className="muted">{t('coach.pipeline.emptyStage')}</p>
                      ) : (
                        <ul className="plain">
                          {items.map((p) => (
                            <PlacementCard key={p.id} placement={p} title={titles.get(p.opportunityId)} />
                          ))}
                        </ul>
                      )}
                    </section>
                  );
                })}
              </div>
              {data.stages.ended > 0 && (
                <section className="card" aria-labelledby="stage-ended">
                  <h2 id="stage-ended">{t('coach.stage.ended')}</h2>
                  <ul className="plain">
                    {data.items
                      .filter((p) => p.stage === 'ended')
                      .map((p) => (
                        <PlacementCard key={p.id} placement={p} title={titles.get(p.opportunityId)} />
                      ))}
                  </ul>
                </section>
              )}
            </>
          )
        }
      </QueryState>
    </div>
  );
}

/** One placement: who, for what, where it stands, its follow-ups with due dates, and its next step. */
export function PlacementCard(props: { placement: Placement; title?: string | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const p = props.placement;
  const session = useSession();
  const isCoach = session?.organisationId === p.coachOrganisationId;
  return (
    <li className="placement">
      <h3 className="h3">
        {isCoach ? (
          <Link to="/coach/candidates/$clientId" params={{ clientId: p.clientId }}>
            <CandidateName clientId={p.clientId} />
          </Link>
        ) : (
          <CandidateName clientId={p.clientId} pseudonymous={p.clientId.startsWith('cand-')} />
        )}
      </h3>
      <p>
        <Link to="/coach/opportunities/$opportunityId" params={{ opportunityId: p.opportunityId }}>
          <bdi>{props.title ?? t('coach.pipeline.opportunity')}</bdi>
        </Link>
        <br />
        <span className={`badge placement-${p.status}`}>{t(`coach.placementStatus.${p.status}`)}</span>
        <span className="muted">{t('coach.pipeline.updated', { date: format.dateTime(p.updatedAt) })}</span>
      </p>
      {p.startDate && <p>{t('coach.pipeline.started', { date: format.calendarDate(p.startDate) })}</p>}
      {p.followUpSchedule.length > 0 && (
        <ul className="follow-ups" aria-label={t('coach.pipeline.followUps')}>
          {p.followUpSchedule.map((f) => (
            <li key={f.month} className={`follow-up-${f.state}`}>
              {t('coach.pipeline.followUpLine', {
                month: format.number(f.month),
                date: format.calendarDate(f.dueDate),
                state: t(`coach.followUpState.${f.state}`),
              })}
              {f.state === 'recorded' && f.stillEmployed !== undefined && (
                <> — {t(f.stillEmployed ? 'coach.pipeline.stillEmployed' : 'coach.pipeline.noLongerEmployed')}</>
              )}
            </li>
          ))}
        </ul>
      )}
      {isCoach && <NextStep placement={p} />}
    </li>
  );
}

type Step = 'interested' | 'notInterested' | 'application' | 'interview' | 'offer' | 'hire' | 'notHired' | 'followUp';

const stepsFor = (p: Placement): Step[] => {
  switch (p.status) {
    case 'proposed':
      return ['interested', 'notInterested'];
    case 'interested':
      return ['application'];
    case 'applied':
      return ['interview', 'notHired'];
    case 'interviewing':
      return ['offer', 'notHired'];
    case 'offered':
      return ['hire', 'notHired'];
    case 'hired':
      return p.followUpSchedule.some((f) => f.state === 'due') ? ['followUp'] : [];
    default:
      return [];
  }
};

/** The steps a placement can take from where it stands, one small form each. */
function NextStep(props: { placement: Placement }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const p = props.placement;
  const steps = stepsFor(p);
  const [step, setStep] = useState<Step | null>(null);
  const [fields, setFields] = useState<Field[]>(['languages', 'skills', 'availability']);
  const [at, setAt] = useState(`${isoDateIn(7)}T10:00`);
  const [startDate, setStartDate] = useState(isoDateIn(14));
  const [reason, setReason] = useState<(typeof NOT_HIRED_REASONS)[number]>('not_selected');
  const due = p.followUpSchedule.find((f) => f.state === 'due');
  const [stillEmployed, setStillEmployed] = useState('yes');
  const [reasonCode, setReasonCode] = useState('');
  const path = { id: p.id };
  const header = { 'If-Match': `"${p.revision}"` };
  const run = useMutation({
    mutationFn: async (chosen: Step) => {
      switch (chosen) {
        case 'interested':
        case 'notInterested':
          return unwrap(
            matching.POST('/v1/placements/{id}/interest', {
              params: { path, header },
              body: { interested: chosen === 'interested' },
            }),
          );
        case 'application':
          return unwrap(
            matching.POST('/v1/placements/{id}/application', { params: { path, header }, body: { fields } }),
          );
        case 'interview':
          return unwrap(
            matching.POST('/v1/placements/{id}/interview', {
              params: { path, header },
              body: { at: new Date(at).toISOString() },
            }),
          );
        case 'offer':
          return unwrap(matching.POST('/v1/placements/{id}/offer', { params: { path, header }, body: {} }));
        case 'hire':
          return unwrap(matching.POST('/v1/placements/{id}/hire', { params: { path, header }, body: { startDate } }));
        case 'notHired':
          return unwrap(matching.POST('/v1/placements/{id}/not-hired', { params: { path, header }, body: { reason } }));
        case 'followUp':
          return unwrap(
            matching.POST('/v1/placements/{id}/follow-ups', {
              params: { path, header },
              body: {
                month: due!.month,
                stillEmployed: stillEmployed === 'yes',
                ...(stillEmployed === 'no' && reasonCode ? { reasonCode } : {}),
              },
            }),
          );
      }
    },
    onSuccess: async () => {
      setStep(null);
      await queryClient.invalidateQueries({ queryKey: ['coach'] });
    },
  });
  if (steps.length === 0) return null;
  if (step === null)
    return (
      <div className="actions">
        {steps.map((s) => (
          <button
            type="button"
            key={s}
            className={s === 'notHired' || s === 'notInterested' ? 'button-secondary' : undefined}
            onClick={() => {
              run.reset();
              if (s === 'interested' || s === 'notInterested' || s === 'offer') run.mutate(s);
              else setStep(s);
            }}
          >
            {t(`coach.step.${s}`)}
          </button>
        ))}
        <ErrorAlert error={run.error} />
      </div>
    );
  return (
    <Form
      label={t(`coach.step.${step}`)}
      onSubmit={() => run.mutate(step)}
      error={run.error}
      actions={
        <SubmitOrCancel label={t(`coach.step.${step}`)} pending={run.isPending} onCancel={() => setStep(null)} />
      }
    >
      {step === 'application' && (
        <CheckboxGroup<Field>
          legend={t('coach.step.fields')}
          hint={t('coach.step.fieldsHint')}
          pointer="/fields"
          options={APPLICATION_FIELDS.map((f) => ({ value: f, label: t(`vocab.scope.${f}`) }))}
          selected={fields}
          onChange={setFields}
        />
      )}
      {step === 'interview' && (
        <TextField
          label={t('coach.step.interviewAt')}
          pointer="/at"
          type="datetime-local"
          value={at}
          onChange={setAt}
        />
      )}
      {step === 'hire' && (
        <TextField
          label={t('coach.step.startDate')}
          hint={t('coach.step.startDateHint')}
          pointer="/startDate"
          type="date"
          value={startDate}
          onChange={setStartDate}
          required
        />
      )}
      {step === 'notHired' && (
        <SelectField
          label={t('common.reason')}
          pointer="/reason"
          value={reason}
          onChange={(v) => setReason(v as typeof reason)}
          options={NOT_HIRED_REASONS.map((r) => ({ value: r, label: t(`coach.notHired.${r}`) }))}
        />
      )}
      {step === 'followUp' && due && (
        <>
          <p>{t('coach.step.followUpOf', { month: due.month })}</p>
          <SelectField
            label={t('coach.step.stillEmployed')}
            pointer="/stillEmployed"
            value={stillEmployed}
            onChange={setStillEmployed}
            options={[
              { value: 'yes', label: t('coach.step.yes') },
              { value: 'no', label: t('coach.step.no') },
            ]}
          />
          {stillEmployed === 'no' && (
            <SelectField
              label={t('coach.step.endReason')}
              pointer="/reasonCode"
              value={reasonCode}
              placeholder={t('common.choose')}
              onChange={setReasonCode}
              options={EMPLOYMENT_END_REASONS.map((r) => ({ value: r, label: t(`coach.endReason.${r}`) }))}
            />
          )}
        </>
      )}
    </Form>
  );
}
