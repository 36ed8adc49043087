import Handlebars from 'handlebars';

const LAYOUT = Handlebars.compile(
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · Countersign</title>
<style>
body{font-family:system-ui,sans-serif;max-width:38rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
.post{white-space:pre-wrap;border:1px solid #ccc;border-radius:.5rem;padding:1rem;background:#fafafa}
.meta{color:#555}.before{white-space:pre-wrap;color:#777;border-left:3px solid #ddd;padding-left:.75rem}
ins{background:#d7f5dd;text-decoration:none}del{background:#fadbd8}
label{display:block;margin:.75rem 0 .25rem}textarea{width:100%;min-height:5rem;font:inherit}
button{font:inherit;padding:.6rem 1.2rem;margin:.5rem .5rem 0 0;border-radius:.4rem;border:1px solid #333;background:#fff;cursor:pointer}
button.approve{background:#1b6e3a;color:#fff;border-color:#1b6e3a}
</style></head>
<body><main>{{{body}}}</main></body></html>`,
);

const REVIEW = Handlebars.compile(
  `<h1>Review: {{stageName}}</h1>
<p class="meta">{{workspaceName}} · {{channelName}} · goes out {{scheduledLocal}}</p>
<div class="post" aria-label="The post as it will go out">{{postText}}</div>
{{#if link}}<p class="meta">Link: {{link}}</p>{{/if}}
{{#if changes}}<h2>What changed since version {{previousVersion}}</h2>
<div class="before">{{#each changes}}{{#if added}}<ins>{{value}}</ins>{{else if removed}}<del>{{value}}</del>{{else}}{{value}}{{/if}}{{/each}}</div>{{/if}}
<p class="meta">{{#if approvedBy.length}}Signed off so far: {{#each approvedBy}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}.{{else}}No sign-offs yet in this stage.{{/if}}</p>
<form method="post">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="comment">Comment (required to request changes)</label>
<textarea id="comment" name="comment" maxlength="4000"></textarea>
<button class="approve" type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="reject">Request changes</button>
</form>`,
);

const MESSAGE = Handlebars.compile(`<h1>{{heading}}</h1><p>{{message}}</p>`);

export interface ReviewPageData {
  workspaceName: string;
  channelName: string;
  stageName: string;
  scheduledLocal: string;
  postText: string;
  link: string | null;
  /** the text's word-level changes since the previous version (escaped as they are rendered) */
  changes: Array<{ value: string; added?: boolean; removed?: boolean }> | null;
  previousVersion: number | null;
  approvedBy: string[];
  csrf: string;
}

/** The review page: the post exactly as it will go out, escaped (it is untrusted input). */
export const reviewPage = (data: ReviewPageData): string =>
  LAYOUT({ title: `Review: ${data.stageName}`, body: REVIEW(data) });

/** A page that says what happened, or why the link no longer works and what to do. */
export const messagePage = (heading: string, message: string): string =>
  LAYOUT({ title: heading, body: MESSAGE({ heading, message }) });
