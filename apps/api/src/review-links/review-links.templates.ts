import type { NetworkPreview, PostVisibility, ShownWithField } from '@app/domain';
import Handlebars from 'handlebars';
import { htmlPage } from '../common/html-page';

const REVIEW = Handlebars.compile(
  `<h1>Review: {{stageName}}</h1>
<p class="meta reviewer">Reviewing as <strong>{{reviewerName}}</strong> ({{reviewerEmail}}){{#if standingInFor}}, standing in for <strong>{{standingInFor}}</strong>{{/if}} · stage {{stageNumber}} of {{stageCount}}</p>
<p class="meta">{{workspaceName}} · {{channelName}} · goes out {{scheduledLocal}}</p>
{{#if replyTo}}<section class="reply-to" aria-label="What it answers"><p class="meta">A reply to <strong>{{replyTo.author}}</strong>{{#if replyTo.url}} (<a href="{{replyTo.url}}" rel="noreferrer noopener" target="_blank">on the network</a>){{/if}}, who wrote:</p><blockquote>{{replyTo.text}}</blockquote></section>{{/if}}
<section aria-label="The post as it will go out">
{{#if preview.contentWarning}}<p class="content-warning">Folded behind the content warning: <strong>{{preview.contentWarning}}</strong></p>{{/if}}
<div class="post">{{preview.text}}</div>
<p class="meta count">{{preview.length}} of {{preview.limit}} characters as {{preview.network}} counts them{{#unless preview.fits}} — <strong>too long: the gate will not let it out</strong>{{/unless}}</p>
{{#if preview.facets.length}}<p class="meta facets">Made live on {{preview.network}}: {{#each preview.facets}}<span class="facet {{kind}}">{{text}}</span>{{#unless @last}}, {{/unless}}{{/each}}</p>{{/if}}
{{#if preview.card}}<p class="meta card">Shown as a link card: {{preview.card.uri}}</p>{{/if}}
<p class="meta audience">Seen by: {{audience}}{{#if preview.language}} · language: {{preview.language}}{{/if}}</p>
{{#if media.length}}<ul class="media" aria-label="Media">{{#each media}}{{> reviewMediaItem}}{{/each}}</ul>{{/if}}
{{#if link}}<p class="meta link">Link: <a href="{{link}}" rel="noreferrer noopener" target="_blank">{{link}}</a></p>{{/if}}
</section>
{{#with changes}}<h2>What changed since version {{previousVersion}}</h2>
<div class="changes">
{{#if text}}<div class="before text-changes">{{#each text}}{{#if added}}<ins>{{value}}</ins>{{else if removed}}<del>{{value}}</del>{{else}}{{value}}{{/if}}{{/each}}</div>{{/if}}
{{#if mediaAdded.length}}<p>Media added:</p><ul class="media added">{{#each mediaAdded}}{{> reviewMediaItem}}{{/each}}</ul>{{/if}}
{{#if mediaRemoved.length}}<p>Media removed:</p><ul class="media removed">{{#each mediaRemoved}}{{> reviewMediaItem}}{{/each}}</ul>{{/if}}
{{#if link}}<p class="link-change">Link: <del>{{#if link.before}}{{link.before}}{{else}}none{{/if}}</del> → <ins>{{#if link.after}}{{link.after}}{{else}}none{{/if}}</ins></p>{{/if}}
{{#if altChanged}}<p>Alt text changed.</p>{{/if}}
{{#each shownWith}}<p class="shown-with-change">{{label}}: <del>{{#if before}}{{before}}{{else}}none{{/if}}</del> → <ins>{{#if after}}{{after}}{{else}}none{{/if}}</ins></p>{{/each}}
{{#if channelChanged}}<p>It moved to this channel.</p>{{/if}}
</div>{{/with}}
<p class="meta">{{#if approvedBy.length}}Signed off so far: {{#each approvedBy}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}.{{else}}No sign-offs yet in this stage.{{/if}}</p>
<p class="meta next">{{afterDecision}}</p>
<section class="comments" aria-label="Comments">
<h2>Comments</h2>
{{#each comments}}<div class="comment{{#if parentId}} reply{{/if}}"><p class="meta">{{#if parentId}}↳ {{/if}}{{author}} · {{when}}{{#if older}} · on version {{postVersion}}{{/if}}{{#if team}} · team only{{/if}}</p>{{#if body}}<p class="body">{{body}}</p>{{else}}<p class="meta deleted">Deleted</p>{{/if}}</div>{{else}}<p class="meta">No comments yet.</p>{{/each}}
{{#if commentNotice}}<p class="notice" role="status">{{commentNotice}}</p>{{/if}}
<form method="post" class="comment-form">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="intent" value="comment">
<label for="comment-body">Add a comment{{#unless teamMayWrite}} (seen by everyone on this post){{/unless}}</label>
<textarea id="comment-body" name="body" maxlength="10000" required></textarea>
{{#if teamMayWrite}}<label for="comment-visibility">Seen by</label>
<select id="comment-visibility" name="visibility"><option value="team">the team only</option><option value="everyone">everyone, the agency and outside reviewers too</option></select>{{/if}}
<button type="submit">Comment</button>
</form>
</section>
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
  `<li>{{#if image}}<a href="{{url}}" rel="noreferrer noopener" target="_blank"><img src="{{url}}" alt="{{#if alt}}{{alt}}{{else}}Image of the post{{/if}}" loading="lazy" referrerpolicy="no-referrer"></a>{{else}}<a href="{{url}}" rel="noreferrer noopener" target="_blank">{{label}}</a>{{/if}}<div class="url">{{url}}</div>{{#if alt}}<div class="alt">Alt text: {{alt}}</div>{{else}}<div class="alt missing">No alt text</div>{{/if}}</li>`,
);

/** Mastodon's visibilities as a reviewer reads them. */
export const AUDIENCES: Record<PostVisibility, string> = {
  public: 'everyone (public)',
  unlisted: 'everyone, kept out of public timelines (unlisted)',
  private: 'followers only (private)',
  direct: 'only the accounts it mentions (direct)',
};

export const SHOWN_WITH_LABELS: Record<ShownWithField, string> = {
  contentWarning: 'Content warning',
  visibility: 'Visibility',
  language: 'Language',
};

/** A media URL as the page shows it: images as pictures, anything else as a link. */
export interface MediaItem {
  url: string;
  image: boolean;
  /** what a link to it says: Video, File */
  label: string;
  /** its alt text, as the network will get it ('' for none) */
  alt: string;
}

export interface ReviewPageData {
  workspaceName: string;
  channelName: string;
  stageName: string;
  scheduledLocal: string;
  /** the mention a reply answers: who, what they wrote, where (an http(s) link only) */
  replyTo: { author: string; text: string; url: string | null } | null;
  /** the post as its network will show it: the text as sent, counted, with what is made live */
  preview: NetworkPreview;
  /** who will see it, in words */
  audience: string;
  media: MediaItem[];
  link: string | null;
  /** what changed since the previous version (escaped as it is rendered); null when nothing did */
  changes: {
    previousVersion: number;
    /** the text's word-level changes, when the text changed */
    text: Array<{ value: string; added?: boolean; removed?: boolean }> | null;
    mediaAdded: MediaItem[];
    mediaRemoved: MediaItem[];
    altChanged: boolean;
    /** the content warning, visibility or language, before and after */
    shownWith: Array<{ label: string; before: string | null; after: string | null }>;
    link: { before: string | null; after: string | null } | null;
    channelChanged: boolean;
  } | null;
  approvedBy: string[];
  /** who the link is for */
  reviewerName: string;
  reviewerEmail: string;
  /** the member whose seat the reviewer fills, when they stand in for one */
  standingInFor: string | null;
  stageNumber: number;
  stageCount: number;
  /** what the reviewer's sign-off leads to */
  afterDecision: string;
  csrf: string;
  /** the comments the link's holder may see, oldest first */
  comments: Array<{
    author: string;
    when: string;
    body: string | null;
    parentId: string | null;
    postVersion: number;
    older: boolean;
    team: boolean;
  }>;
  /** whether the holder may write team comments (a select is shown) */
  teamMayWrite: boolean;
  /** said after a comment was added */
  commentNotice?: string;
  /** a refused submission, answered on the page with what was typed kept */
  error?: string;
  comment?: string;
}

/** The review page: the post exactly as it will go out, escaped (it is untrusted input). */
export const reviewPage = (data: ReviewPageData): string =>
  htmlPage(`Review: ${data.stageName}`, REVIEW(data));
