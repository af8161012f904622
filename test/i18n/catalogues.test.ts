import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import { en } from '../../src/i18n/en/index.js';
import { LOCALES, localeOf, catalogueFor } from '../../src/i18n/index.js';

/** Each text of a catalogue by its path, functions called with sentinels in place of their arguments. */
function texts(catalogue: unknown, path = ''): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof catalogue === 'string') found.set(path, catalogue);
  else if (typeof catalogue === 'function') {
    const sentinels = Array.from({ length: catalogue.length }, (_, i) => `⟦${i}⟧`);
    found.set(`${path}()`, String((catalogue as (...args: string[]) => unknown)(...sentinels)));
  } else if (typeof catalogue === 'object' && catalogue !== null) {
    for (const [key, value] of Object.entries(catalogue)) {
      for (const [p, text] of texts(value, path ? `${path}.${key}` : key)) found.set(p, text);
    }
  }
  return found;
}

const placeholders = (text: string) => [...new Set(text.match(/⟦\d+⟧|\{[a-z_]+\}/g) ?? [])].sort();
/** What Slack reads as markup or a link, which a translation must keep: mentions, commands, emoji. */
const markup = (text: string) => [...(text.match(/:[a-z_]+:|\/sip-reset|ITNIO_[A-Z_]+/g) ?? [])].sort();

describe('catalogues', () => {
  const english = texts(en);

  for (const locale of LOCALES.filter((l) => l !== 'en')) {
    describe(locale, () => {
      const translated = texts(catalogueFor(locale));

      it('has exactly the keys of the English catalogue', () => {
        expect([...translated.keys()].sort()).to.deep.equal([...english.keys()].sort());
      });

      it('has the same placeholders in every text', () => {
        for (const [path, text] of english) {
          expect(placeholders(translated.get(path) ?? ''), path).to.deep.equal(placeholders(text));
        }
      });

      it('keeps emoji, the command and the variable names admins look for', () => {
        for (const [path, text] of english) {
          expect(markup(translated.get(path) ?? ''), path).to.deep.equal(markup(text));
        }
      });

      it('translates every text (none left in English)', () => {
        for (const [path, text] of english) {
          if (path === 'dateFormat') continue;
          expect(translated.get(path), path).not.to.equal(text);
        }
      });
    });
  }

  describe('parts', () => {
    /** A catalogue's parts, one per file of its folder beside index.ts: each part's name and keys. */
    const partsOf = async (locale: string) => {
      const folder = new URL(`../../src/i18n/${locale}/`, import.meta.url);
      const files = readdirSync(folder).filter((file) => file.endsWith('.ts') && file !== 'index.ts');
      return Promise.all(
        files.sort().map(async (file) => {
          const exports = Object.values(await import(new URL(file, folder).href)) as object[];
          expect(exports, file).to.have.length(1);
          return { file, keys: Object.keys(exports[0] ?? {}).sort() };
        }),
      );
    };

    for (const locale of LOCALES) {
      it(`${locale}: every part is in the catalogue, and no two parts share a key`, async () => {
        const parts = await partsOf(locale);
        const keys = parts.flatMap((part) => part.keys);
        expect(keys.length, 'a key in two parts').to.equal(new Set(keys).size);
        expect(keys.sort()).to.deep.equal(Object.keys(catalogueFor(locale)).sort());
      });
    }

    it('every catalogue has the English parts, by file, each with the same keys', async () => {
      const english = await partsOf('en');
      for (const locale of LOCALES) expect(await partsOf(locale), locale).to.deep.equal(english);
    });
  });

  it('uses ITNIO’s own Chinese terms: 重置话机密码 and 话机密码', () => {
    const zh = catalogueFor('zh-CN');
    expect(zh.modalTitle).to.equal('重置话机密码');
    expect(zh.passwordHeader).to.contain('话机密码');
    expect(zh.accountLabel).to.equal('话机账号');
  });

  it('says when, then where, as a helpdesk writes it: 将于…过期, 请在…之前，在与本应用的私信中…', () => {
    const zh = catalogueFor('zh-CN');
    expect(zh.home.pending('12月1日 14:00')).to.equal(':inbox_tray: 等待审批，将于 12月1日 14:00 过期。');
    expect(zh.home.approved('12月1日 14:00')).to.equal(
      ':white_check_mark: 已批准，请在 12月1日 14:00 之前到话机旁，在本页或与本应用的私信中点击 *立即重置并显示密码*。',
    );
    expect(zh.statusOpen.pending('12月1日')).to.equal('等待审批，将于 12月1日 过期');
    expect(zh.statusOpen.approved('12月1日')).to.equal(
      '已批准，请在 12月1日 之前到话机旁，在与本应用的私信中点击 *立即重置并显示密码*',
    );
  });

  it('every Slack Chinese locale reads Chinese, English reads English, any case; others have none', () => {
    for (const tag of ['zh-CN', 'zh-TW', 'ZH-hk', 'zh', 'zh_SG'])
      expect(localeOf(tag), tag).to.equal('zh-CN');
    for (const tag of ['en-US', 'en-GB', 'EN']) expect(localeOf(tag), tag).to.equal('en');
    for (const tag of ['fr-FR', 'ja-JP', '', undefined])
      expect(localeOf(tag), String(tag)).to.equal(undefined);
  });
});
