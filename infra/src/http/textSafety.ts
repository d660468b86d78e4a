import type { FastifyInstance } from 'fastify';
import { AppError, type FieldError } from '../errors/appError.js';

/**
 * Characters no text of ours may hold: C0 controls but tab, line feed and carriage return, DEL, C1
 * controls, and the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make
 * a name or a message display as something other than what it stores ("Trojan source"). The bare
 * direction marks U+200E/U+200F stay: typed Arabic or Hebrew text legitimately carries them and they
 * reorder nothing but neutral characters.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NEVER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
/** Names and titles are one line: no tab or line break either. */
const LINE_BREAKS = /[\t\n\r\u2028\u2029]/u;
const isSingleLine = (key: string): boolean => /(name|title)$/i.test(key);

const escapePointerToken = (token: string): string => token.replaceAll('~', '~0').replaceAll('/', '~1');

export const describeUnsafe = (value: string, singleLine: boolean): string | undefined => {
  const found = NEVER.exec(value) ?? (singleLine ? LINE_BREAKS.exec(value) : null);
  if (found === null) return undefined;
  const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control or bidirectional formatting characters (U+${code})`;
};

/**
 * Walks a parsed JSON body: every string is brought to Unicode NFC (so "é" typed two ways is one name
 * for duplicate detection and search) and refused when it holds a character above. Iterative, so a
 * deeply nested body cannot exhaust the stack. Returns the refused fields (JSON pointers into the request).
 */
export const normaliseText = (body: unknown, root = '/body'): FieldError[] => {
  const errors: FieldError[] = [];
  const stack: { holder: Record<string, unknown> | unknown[]; pointer: string }[] = [];
  const visit = (holder: Record<string, unknown> | unknown[], key: string | number, pointer: string): void => {
    const value = (holder as Record<string | number, unknown>)[key];
    if (typeof value === 'string') {
      const problem = describeUnsafe(value, typeof key === 'string' && isSingleLine(key));
      if (problem !== undefined) errors.push({ pointer, detail: problem });
      else if (!isNfc(value)) (holder as Record<string | number, unknown>)[key] = value.normalize('NFC');
    } else if (value !== null && typeof value === 'object')
      stack.push({ holder: value as Record<string, unknown> | unknown[], pointer });
  };
  const top = { value: body };
  visit(top as Record<string, unknown>, 'value', root);
  while (stack.length > 0 && errors.length < 50) {
    const { holder, pointer } = stack.pop()!;
    if (Array.isArray(holder)) holder.forEach((_, i) => visit(holder, i, `${pointer}/${i}`));
    else for (const key of Object.keys(holder)) visit(holder, key, `${pointer}/${escapePointerToken(key)}`);
  }
  return errors;
};

// Pure ASCII is always NFC; most bodies are, so they skip the normaliser.
// eslint-disable-next-line no-control-regex -- ASCII range test
const isNfc = (value: string): boolean => /^[\u0000-\u007F]*$/.test(value) || value.normalize('NFC') === value;

/**
 * Every JSON request body of every route, before schema validation (so length limits count the
 * normalised text): NFC, and a 422 naming each field that holds a control or bidi override character.
 */
export const registerTextSafety = (app: FastifyInstance): void => {
  app.addHook('preValidation', async (request) => {
    const body = request.body;
    if (body === null || typeof body !== 'object') {
      if (typeof body === 'string') {
        const problem = describeUnsafe(body, false);
        if (problem !== undefined) throw unsafe([{ pointer: '/body', detail: problem }]);
        request.body = body.normalize('NFC');
      }
      return;
    }
    const errors = normaliseText(body);
    if (errors.length > 0) throw unsafe(errors);
  });
};

const unsafe = (errors: FieldError[]): AppError =>
  new AppError(
    'UNSAFE_TEXT',
    errors.length === 1
      ? `${errors[0]!.pointer} ${errors[0]!.detail}`
      : `${errors.length} fields hold characters that are not allowed`,
    { errors },
  );
