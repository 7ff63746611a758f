import type { Catalog } from './en.ts';

export const ja: Catalog = {
  'nav.main': 'メインメニュー',
  'nav.status': 'ステータス',
  'nav.history': '履歴',
  'nav.postmortems': 'ポストモーテム',
  'nav.reliability': '信頼性',
  'nav.subscribe': '購読',
  'nav.support': 'サポート',
  'nav.skip': 'コンテンツへスキップ',
  'footer.timezone': '時刻は{zone}で表示しています。',
  'footer.poweredBy': 'Powered by',
  'footer.language': '言語',
};
