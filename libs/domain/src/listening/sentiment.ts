import { Container } from '@nlpjs/core';
import { LangDe } from '@nlpjs/lang-de';
import { LangEn } from '@nlpjs/lang-en';
import { LangEs } from '@nlpjs/lang-es';
import { LangFr } from '@nlpjs/lang-fr';
import { LangIt } from '@nlpjs/lang-it';
import { LangNl } from '@nlpjs/lang-nl';
import { LangPt } from '@nlpjs/lang-pt';
import { SentimentAnalyzer } from '@nlpjs/sentiment';

/** The languages scored in their own lexicon; any other is scored as English. */
const LANGUAGES = new Set(['en', 'fr', 'de', 'es', 'it', 'pt', 'nl']);

/**
 * Sentiment of a mention, from nlp.js's lexicons (Senticon and AFINN-style, one per
 * language, maintained with the library): the average score per word, negative
 * below zero. Chosen over `sentiment` (AFINN, English only) because brands are
 * mentioned in several languages.
 */
export class SentimentScorer {
  private readonly analyzer: SentimentAnalyzer;

  constructor() {
    const container = new Container();
    for (const lang of [LangEn, LangFr, LangDe, LangEs, LangIt, LangPt, LangNl]) container.use(lang);
    this.analyzer = new SentimentAnalyzer({ container });
  }

  async score(text: string, language: string | null): Promise<{ score: number; negative: boolean }> {
    const primary = language?.split('-')[0]?.toLowerCase() ?? 'en';
    const { sentiment } = await this.analyzer.process({
      locale: LANGUAGES.has(primary) ? primary : 'en',
      text,
    });
    return { score: sentiment.average, negative: sentiment.vote === 'negative' };
  }
}
