import { DomainError } from '@app/domain';
import type { FastifyReply } from 'fastify';
import Handlebars from 'handlebars';
import { toProblem } from './problem';

const LAYOUT = Handlebars.compile(
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · Countersign</title>
<style>
body{font-family:system-ui,sans-serif;max-width:38rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
.post{white-space:pre-wrap;border:1px solid #ccc;border-radius:.5rem;padding:1rem;background:#fafafa}
.meta{color:#555}.before{white-space:pre-wrap;color:#777;border-left:3px solid #ddd;padding-left:.75rem}
ins{background:#d7f5dd;text-decoration:none}del{background:#fadbd8}
.media{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.75rem}.media li{max-width:12rem}
.media img{display:block;width:12rem;height:12rem;object-fit:contain;background:#f3f3f3;border:1px solid #ccc;border-radius:.4rem}
.media .url{font-size:.8rem;color:#555;word-break:break-all}.removed img{opacity:.5}
label{display:block;margin:.75rem 0 .25rem}textarea{width:100%;min-height:5rem;font:inherit}
input[type=text],input[type=password]{width:100%;font:inherit;padding:.4rem;box-sizing:border-box}
button{font:inherit;padding:.6rem 1.2rem;margin:.5rem .5rem 0 0;border-radius:.4rem;border:1px solid #333;background:#fff;cursor:pointer}
button.approve{background:#1b6e3a;color:#fff;border-color:#1b6e3a}
.error{color:#a1160a;font-weight:600}
</style></head>
<body><main>{{{body}}}</main></body></html>`,
);

const MESSAGE = Handlebars.compile(`<h1>{{heading}}</h1><p>{{message}}</p>`);

/** A whole page around `body` (already rendered and escaped). */
export const htmlPage = (title: string, body: string): string => LAYOUT({ title, body });

/** A page that says what happened, or why the link no longer works and what to do. */
export const messagePage = (heading: string, message: string): string =>
  htmlPage(heading, MESSAGE({ heading, message }));

// Images load from wherever a post takes them: a reviewer sees what will go out.
const CSP =
  "default-src 'none'; img-src https: http:; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Answers a page of a link from an e-mail (review, invitation, password reset):
 * never cached, no referrer (the URL holds a secret), a strict CSP; a refusal is a
 * page saying why, with the problem's status (404 unknown, 410 used or expired).
 */
export async function answerPage(reply: FastifyReply, render: () => Promise<string>): Promise<void> {
  void reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('content-security-policy', CSP);
  try {
    // 200 (not a POST's 201) unless the page sets its own status: a refused form.
    void reply.status(200);
    const html = await render();
    await reply.send(html);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const problem = toProblem(error);
    const heading =
      problem.status === 404
        ? 'This link is not known'
        : problem.status === 410
          ? 'This link no longer works'
          : 'That did not work';
    await reply.status(problem.status).send(messagePage(heading, problem.detail));
  }
}

/**
 * Answers a page's form: what `act` renders, or, when it refuses the input (a 400),
 * the form again (`again`, with why) and status 400, keeping what was typed.
 */
export async function answerForm(
  reply: FastifyReply,
  act: () => Promise<string>,
  again: (error: string) => Promise<string>,
): Promise<void> {
  await answerPage(reply, async () => {
    try {
      return await act();
    } catch (error) {
      if (!(error instanceof DomainError) || toProblem(error).status !== 400) throw error;
      void reply.status(400);
      return again(error.message);
    }
  });
}
