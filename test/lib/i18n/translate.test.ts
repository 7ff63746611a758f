import { describe, expect, it } from 'vitest';
import { translate, translator } from '../../../src/lib/i18n/translate.ts';

describe('translate', () => {
  it('reads the key from the reader’s language', () => {
    expect(translate('en', 'nav.history')).toBe('History');
    expect(translate('de', 'nav.history')).toBe('Verlauf');
    expect(translate('ja', 'nav.history')).toBe('履歴');
  });

  it('falls back to the default language when the locale is unknown (an error page outside the middleware)', () => {
    const t = translator(undefined);
    expect(t.locale).toBe('en');
    expect(t('nav.subscribe')).toBe('Subscribe');
  });
});
