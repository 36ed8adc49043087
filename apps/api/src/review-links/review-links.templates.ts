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
.media{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.75rem}.media li{max-width:12rem}
.media img{display:block;width:12rem;height:12rem;object-fit:contain;background:#f3f3f3;border:1px solid #ccc;border-radius:.4rem}
.media .url{font-size:.8rem;color:#555;word-break:break-all}.removed img{opacity:.5}
label{display:block;margin:.75rem 0 .25rem}textarea{width:100%;min-height:5rem;font:inherit}
button{font:inherit;padding:.6rem 1.2rem;margin:.5rem .5rem 0 0;border-radius:.4rem;border:1px solid #333;background:#fff;cursor:pointer}
button.approve{background:#1b6e3a;color:#fff;border-color:#1b6e3a}
.error{color:#a1160a;font-weight:600}
</style></head>
<body><main>{{{body}}}</main></body></html>`,
);

const REVIEW = Handlebars.compile(
  `<h1>Review: {{stageName}}</h1>
<p class="meta reviewer">Reviewing as <strong>{{reviewerName}}</strong> ({{reviewerEmail}}) · stage {{stageNumber}} of {{stageCount}}</p>
<p class="meta">{{workspaceName}} · {{channelName}} · goes out {{scheduledLocal}}</p>
<section aria-label="The post as it will go out">
<div class="post">{{postText}}</div>
{{#if media.length}}<ul class="media" aria-label="Media">{{#each media}}{{> reviewMediaItem}}{{/each}}</ul>{{/if}}
{{#if link}}<p class="meta link">Link: <a href="{{link}}" rel="noreferrer noopener" target="_blank">{{link}}</a></p>{{/if}}
</section>
{{#with changes}}<h2>What changed since version {{previousVersion}}</h2>
<div class="changes">
{{#if text}}<div class="before text-changes">{{#each text}}{{#if added}}<ins>{{value}}</ins>{{else if removed}}<del>{{value}}</del>{{else}}{{value}}{{/if}}{{/each}}</div>{{/if}}
{{#if mediaAdded.length}}<p>Media added:</p><ul class="media added">{{#each mediaAdded}}{{> reviewMediaItem}}{{/each}}</ul>{{/if}}
{{#if mediaRemoved.length}}<p>Media removed:</p><ul class="media removed">{{#each mediaRemoved}}{{> reviewMediaItem}}{{/each}}</ul>{{/if}}
{{#if link}}<p class="link-change">Link: <del>{{#if link.before}}{{link.before}}{{else}}none{{/if}}</del> → <ins>{{#if link.after}}{{link.after}}{{else}}none{{/if}}</ins></p>{{/if}}
{{#if channelChanged}}<p>It moved to this channel.</p>{{/if}}
</div>{{/with}}
<p class="meta">{{#if approvedBy.length}}Signed off so far: {{#each approvedBy}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}.{{else}}No sign-offs yet in this stage.{{/if}}</p>
<p class="meta next">{{afterDecision}}</p>
<form method="post">
<input type="hidden" name="csrf" value="{{csrf}}">
{{#if error}}<p class="error" role="alert">{{error}}</p>{{/if}}
<label for="comment">Comment (required to request changes)</label>
<textarea id="comment" name="comment" maxlength="4000">{{comment}}</textarea>
<button class="approve" type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="reject">Request changes</button>
</form>`,
);

Handlebars.registerPartial(
  'reviewMediaItem',
  `<li>{{#if image}}<a href="{{url}}" rel="noreferrer noopener" target="_blank"><img src="{{url}}" alt="Image of the post" loading="lazy" referrerpolicy="no-referrer"></a>{{else}}<a href="{{url}}" rel="noreferrer noopener" target="_blank">{{label}}</a>{{/if}}<div class="url">{{url}}</div></li>`,
);

const MESSAGE = Handlebars.compile(`<h1>{{heading}}</h1><p>{{message}}</p>`);

/** A media URL as the page shows it: images as pictures, anything else as a link. */
export interface MediaItem {
  url: string;
  image: boolean;
  /** what a link to it says: Video, File */
  label: string;
}

export interface ReviewPageData {
  workspaceName: string;
  channelName: string;
  stageName: string;
  scheduledLocal: string;
  postText: string;
  media: MediaItem[];
  link: string | null;
  /** what changed since the previous version (escaped as it is rendered); null when nothing did */
  changes: {
    previousVersion: number;
    /** the text's word-level changes, when the text changed */
    text: Array<{ value: string; added?: boolean; removed?: boolean }> | null;
    mediaAdded: MediaItem[];
    mediaRemoved: MediaItem[];
    link: { before: string | null; after: string | null } | null;
    channelChanged: boolean;
  } | null;
  approvedBy: string[];
  /** who the link is for */
  reviewerName: string;
  reviewerEmail: string;
  stageNumber: number;
  stageCount: number;
  /** what the reviewer's sign-off leads to */
  afterDecision: string;
  csrf: string;
  /** a refused submission, answered on the page with what was typed kept */
  error?: string;
  comment?: string;
}

/** The review page: the post exactly as it will go out, escaped (it is untrusted input). */
export const reviewPage = (data: ReviewPageData): string =>
  LAYOUT({ title: `Review: ${data.stageName}`, body: REVIEW(data) });

/** A page that says what happened, or why the link no longer works and what to do. */
export const messagePage = (heading: string, message: string): string =>
  LAYOUT({ title: heading, body: MESSAGE({ heading, message }) });
