import { createContext, useContext, useId, useRef, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldErrorText } from '../api/fieldErrorText.js';
import { fieldErrorsOf, isApiError, unclaimedErrors } from '../api/problems.js';

interface FormErrors {
  errors: Map<string, string[]>;
  claimed: Set<string>;
}

const FormErrorsContext = createContext<FormErrors>({ errors: new Map(), claimed: new Set() });

/** A field's errors by the JSON pointer of the body member it edits; claims them from the summary. */
export const useFieldErrors = (pointer: string | undefined): string[] => {
  const context = useContext(FormErrorsContext);
  if (!pointer) return [];
  context.claimed.add(pointer);
  return context.errors.get(pointer) ?? [];
};

export const fieldId = (pointer: string): string => `f${pointer.replace(/[^A-Za-z0-9]+/g, '-')}`;

/**
 * A form whose fields show the errors the API named for them. What no field claims, and the problem's
 * own words, are listed above the buttons (announced to screen readers).
 */
export function Form(props: {
  onSubmit: () => void;
  error: unknown;
  children: ReactNode;
  actions: ReactNode;
  label?: string;
  className?: string;
}) {
  const { t } = useTranslation();
  const claimed = useRef(new Set<string>());
  claimed.current = new Set();
  const errors = fieldErrorsOf(props.error, (item) => fieldErrorText(item, (key, options) => t(key, options)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <FormErrorsContext.Provider value={{ errors, claimed: claimed.current }}>
      <form noValidate onSubmit={submit} aria-label={props.label} className={props.className ?? 'form'}>
        {props.children}
        <ErrorSummary error={props.error} errors={errors} claimed={claimed.current} />
        <div className="actions">{props.actions}</div>
      </form>
    </FormErrorsContext.Provider>
  );
}

function ErrorSummary(props: { error: unknown; errors: Map<string, string[]>; claimed: Set<string> }) {
  const { t } = useTranslation();
  if (!props.error) return null;
  const rest = unclaimedErrors(props.errors, [...props.claimed]);
  const detail = problemText(props.error, t);
  return (
    <div className="alert alert-error" role="alert">
      <p>{detail}</p>
      {rest.length > 0 && (
        <ul>
          {rest.map((e) => (
            <li key={`${e.pointer}:${e.detail}`}>
              <code>{e.pointer}</code> {e.detail}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The problem in words: the service's detail when it gave one, else a sentence for the status. */
export const problemText = (error: unknown, t: (key: string) => string): string => {
  if (!isApiError(error)) return t('error.unexpected');
  if (error.status === 0) return t('error.network');
  const detail = error.problem.detail;
  const known: Record<number, string> = {
    401: 'error.session',
    403: 'error.forbidden',
    404: 'error.notFound',
    409: 'error.conflict',
    410: 'error.gone',
    412: 'error.stale',
    429: 'error.rateLimited',
    503: 'error.unavailable',
  };
  // Field errors are said at their fields (in the reader's language); the service's English summary of
  // them would only repeat them.
  if ((error.status === 400 || error.status === 422) && (error.problem.errors?.length ?? 0) > 0)
    return t('error.invalid');
  const sentence = known[error.status] ? t(known[error.status]!) : t('error.failed');
  return detail && detail !== 'network' ? `${sentence} ${detail}` : sentence;
};

function FieldFrame(props: {
  id: string;
  label: string;
  hint?: ReactNode;
  errors: string[];
  children: ReactNode;
  required?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className={`field${props.errors.length ? ' field-invalid' : ''}`}>
      <label htmlFor={props.id}>
        {props.label}
        {props.required && <span className="required"> ({t('form.required')})</span>}
      </label>
      {props.hint && (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.children}
      {props.errors.map((message) => (
        <p className="field-error" id={`${props.id}-error`} key={message}>
          {message}
        </p>
      ))}
    </div>
  );
}

const describedBy = (id: string, hint: unknown, errors: string[]) =>
  [hint ? `${id}-hint` : '', errors.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

export function TextField(props: {
  label: string;
  pointer?: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'date' | 'number' | 'search' | 'tel' | 'datetime-local';
  hint?: ReactNode;
  required?: boolean;
  autoComplete?: string;
  multiline?: boolean;
  name?: string;
}) {
  const generated = useId();
  const id = props.pointer ? fieldId(props.pointer) : generated;
  const errors = useFieldErrors(props.pointer);
  const common = {
    id,
    name: props.name ?? props.pointer ?? id,
    value: props.value,
    'aria-invalid': errors.length > 0 || undefined,
    'aria-describedby': describedBy(id, props.hint, errors),
    'aria-required': props.required || undefined,
  };
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} errors={errors} required={props.required}>
      {props.multiline ? (
        <textarea {...common} rows={4} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </FieldFrame>
  );
}

export function SelectField(props: {
  label: string;
  pointer?: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  hint?: ReactNode;
  required?: boolean;
  placeholder?: string;
}) {
  const generated = useId();
  const id = props.pointer ? fieldId(props.pointer) : generated;
  const errors = useFieldErrors(props.pointer);
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} errors={errors} required={props.required}>
      <select
        id={id}
        name={props.pointer ?? id}
        value={props.value}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={describedBy(id, props.hint, errors)}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function CheckboxGroup<V extends string>(props: {
  legend: string;
  pointer?: string;
  options: readonly { value: V; label: string; hint?: string; disabled?: boolean }[];
  selected: readonly V[];
  onChange: (selected: V[]) => void;
  hint?: ReactNode;
}) {
  const generated = useId();
  const id = props.pointer ? fieldId(props.pointer) : generated;
  const errors = useFieldErrors(props.pointer);
  const toggle = (value: V, on: boolean) =>
    props.onChange(on ? [...props.selected, value] : props.selected.filter((v) => v !== value));
  return (
    <fieldset
      className={`field checkboxes${errors.length ? ' field-invalid' : ''}`}
      id={id}
      aria-describedby={describedBy(id, props.hint, errors)}
    >
      <legend>{props.legend}</legend>
      {props.hint && (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.options.map((o) => (
        <div className="checkbox" key={o.value}>
          <input
            type="checkbox"
            id={`${id}-${o.value}`}
            checked={props.selected.includes(o.value)}
            disabled={o.disabled}
            onChange={(e) => toggle(o.value, e.target.checked)}
            aria-describedby={o.hint ? `${id}-${o.value}-hint` : undefined}
          />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
          {o.hint && (
            <p className="hint" id={`${id}-${o.value}-hint`}>
              {o.hint}
            </p>
          )}
        </div>
      ))}
      {errors.map((message) => (
        <p className="field-error" id={`${id}-error`} key={message}>
          {message}
        </p>
      ))}
    </fieldset>
  );
}

/** Errors of a pointer that has no input of its own (an array as a whole, a section). */
export function FieldErrors(props: { pointer: string }) {
  const errors = useFieldErrors(props.pointer);
  return (
    <>
      {errors.map((message) => (
        <p className="field-error" key={message}>
          {message}
        </p>
      ))}
    </>
  );
}

/** The buttons of most forms: do it, or leave without doing it. */
export function SubmitOrCancel(props: { label: string; onCancel: () => void; pending?: boolean; danger?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <button type="submit" disabled={props.pending} className={props.danger ? 'button-danger' : undefined}>
        {props.label}
      </button>
      <button type="button" className="button-secondary" onClick={props.onCancel}>
        {t('common.cancel')}
      </button>
    </>
  );
}
