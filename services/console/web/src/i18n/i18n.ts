import i18next, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { directionOf, FALLBACK_LANGUAGE, isLanguage, LANGUAGES, type LanguageCode } from './languages.js';

const STORAGE_KEY = 'estia.language';

// Each catalogue is its own chunk: a first visit downloads only the language it shows.
const catalogues = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*.json');

const lazyCatalogues: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, _namespace, callback) {
    const load = catalogues[`./locales/${language}.json`];
    if (!load) return callback(new Error(`no catalogue for ${language}`), false);
    load().then(
      (module) => callback(null, module.default),
      (error: Error) => callback(error, false),
    );
  },
};

/** The remembered choice, else the first browser language we speak, else English. */
const initialLanguage = (): LanguageCode => {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLanguage(stored)) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return FALLBACK_LANGUAGE;
};

const applyToDocument = (language: LanguageCode): void => {
  document.documentElement.lang = language;
  document.documentElement.dir = directionOf(language);
};

export const initI18n = async (): Promise<typeof i18next> => {
  const language = initialLanguage();
  i18next.on('languageChanged', (lng) => {
    if (isLanguage(lng)) applyToDocument(lng);
  });
  await i18next
    .use(lazyCatalogues)
    .use(initReactI18next)
    .init({
      lng: language,
      fallbackLng: FALLBACK_LANGUAGE,
      supportedLngs: LANGUAGES.map((l) => l.code),
      load: 'languageOnly',
      ns: ['translation'],
      interpolation: { escapeValue: false },
      returnNull: false,
      react: { useSuspense: false },
    });
  applyToDocument(language);
  return i18next;
};

export const changeLanguage = async (language: LanguageCode): Promise<void> => {
  localStorage.setItem(STORAGE_KEY, language);
  await i18next.changeLanguage(language);
};
