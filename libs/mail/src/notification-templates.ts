import { firstWords, notificationRule, OVERDUE_SUBJECT, type NotificationFacts } from '@app/domain';
import Handlebars from 'handlebars';

/** What a notification says about its post or workspace. */
export type NotificationData = NotificationFacts;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** images the HTML shows by `cid:` (nodemailer's inline attachments) */
  attachments?: Array<{ filename: string; content: Buffer; contentType: string; cid: string }>;
}

const HTML = Handlebars.compile(
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:40em">
<h1 style="font-size:1.2em">{{subject}}</h1>
<p>Workspace: <strong>{{workspaceName}}</strong></p>
{{#if postText}}<blockquote style="white-space:pre-wrap;border-left:3px solid #ccc;padding-left:1em">{{postText}}</blockquote>{{/if}}
{{#if channelName}}<p>Channel: {{channelName}}</p>{{/if}}
{{#if scheduledAt}}<p>Scheduled for {{scheduledAt}}</p>{{/if}}
{{#if postUrl}}<p><a href="{{postUrl}}" rel="noopener noreferrer">See it on the network</a></p>{{/if}}
{{#if status}}<p>Status: {{status}}</p>{{/if}}
{{#if detail}}<p>{{detail}}</p>{{/if}}
{{#if actorName}}<p>By {{actorName}}</p>{{/if}}
</body></html>`,
  { strict: false },
);

// The text part is not HTML: nothing to escape (and escaping would garble it).
const TEXT = Handlebars.compile(
  `{{subject}}

Workspace: {{workspaceName}}
{{#if postText}}
"{{postText}}"
{{/if}}{{#if channelName}}Channel: {{channelName}}
{{/if}}{{#if scheduledAt}}Scheduled for {{scheduledAt}}
{{/if}}{{#if postUrl}}On the network: {{postUrl}}
{{/if}}{{#if status}}Status: {{status}}
{{/if}}{{#if detail}}{{detail}}
{{/if}}{{#if actorName}}By {{actorName}}
{{/if}}`,
  { noEscape: true },
);

/** `What: "first words" · channel · when (workspace)`, with the parts there are. */
const subjectOf = (
  what: string,
  post: { text?: string | null; channel?: string | null; when?: string | null },
  workspace: string,
) =>
  `${[`${what}${post.text ? `: "${firstWords(post.text)}"` : ''}`, post.channel, post.when].filter(Boolean).join(' · ')} (${workspace})`;

/** Subject, plain text and HTML of a notification; post text is escaped in the HTML (it is untrusted). */
export function renderNotification(data: NotificationData): RenderedMail {
  const named = data.action === 'review.overdue' ? OVERDUE_SUBJECT : notificationRule(data.action)?.subject;
  const subject = subjectOf(
    named ?? data.action,
    { text: data.postText, channel: data.channelName, when: data.scheduledAt },
    data.workspaceName,
  );
  return { subject, text: TEXT({ ...data, subject }), html: HTML({ ...data, subject }) };
}

/** What an approver is asked to review. */
export interface ReviewRequestData {
  workspaceName: string;
  channelName: string;
  stageName: string;
  postText: string;
  /** the post's media and link, as they will go out */
  mediaUrls: string[];
  postLink: string | null;
  scheduledLocal: string;
  /** null: the approver signs off in the app (their role needs two-factor sign-in), not from a link */
  link: string | null;
  /** the member the recipient stands in for, when the request is theirs */
  standingInFor?: string | null;
}

const REVIEW_HTML = Handlebars.compile(
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:40em">
<h1 style="font-size:1.2em">Your sign-off is needed: {{stageName}}</h1>
{{#if standingInFor}}<p><strong>As the stand-in of {{standingInFor}}</strong>: your sign-off counts as theirs.</p>{{/if}}
<p>{{workspaceName}} · {{channelName}} · {{scheduledLocal}}</p>
<blockquote style="white-space:pre-wrap;border-left:3px solid #ccc;padding-left:1em">{{postText}}</blockquote>
{{#if mediaUrls.length}}<p>Media:</p><ul>{{#each mediaUrls}}<li><a href="{{this}}">{{this}}</a></li>{{/each}}</ul>{{/if}}
{{#if postLink}}<p>Link: <a href="{{postLink}}">{{postLink}}</a></p>{{/if}}
{{#if link}}<p><a href="{{link}}">Review and approve or request changes</a></p>
<p style="color:#666">The link works once, for this version of the post.</p>{{else}}<p>{{signIn}}</p>{{/if}}
</body></html>`,
);

const REVIEW_TEXT = Handlebars.compile(
  `Your sign-off is needed: {{stageName}}
{{#if standingInFor}}
As the stand-in of {{standingInFor}}: your sign-off counts as theirs.
{{/if}}
{{workspaceName}} / {{channelName}} / {{scheduledLocal}}

"{{postText}}"
{{#if mediaUrls.length}}
Media:
{{#each mediaUrls}}- {{this}}
{{/each}}{{/if}}{{#if postLink}}
Link: {{postLink}}
{{/if}}
{{#if link}}Review it here (the link works once, for this version of the post):
{{link}}
{{else}}{{signIn}}
{{/if}}`,
  { noEscape: true },
);

/** What a request without a link says instead. */
const SIGN_IN =
  'Sign in to Countersign to review it: this workspace asks your role for two-factor sign-in, which a link from an e-mail cannot give.';

/** The e-mail that opens a stage for one approver (or reminds them), with their own review link. */
export function renderReviewRequest(data: ReviewRequestData, reminder = false): RenderedMail {
  const view = { ...data, signIn: SIGN_IN };
  return {
    subject: subjectOf(
      reminder ? 'Reminder: please review' : 'Please review',
      { text: data.postText, channel: data.channelName, when: data.scheduledLocal },
      data.workspaceName,
    ),
    text: REVIEW_TEXT(view),
    html: REVIEW_HTML(view),
  };
}

const DIGEST_HTML = Handlebars.compile(
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:40em">
<h1 style="font-size:1.2em">{{heading}}</h1>
<p>{{workspaceName}}. Each link works once, for the version of the post shown.</p>
{{#each requests}}<hr>
<p><strong>{{stageName}}</strong> · {{channelName}} · {{scheduledLocal}}</p>
<blockquote style="white-space:pre-wrap;border-left:3px solid #ccc;padding-left:1em">{{postText}}</blockquote>
{{#if postLink}}<p>Link: <a href="{{postLink}}">{{postLink}}</a></p>{{/if}}
{{#if link}}<p><a href="{{link}}">Review and approve or request changes</a></p>{{else}}<p>{{../signIn}}</p>{{/if}}
{{/each}}
</body></html>`,
);

const DIGEST_TEXT = Handlebars.compile(
  `{{heading}}

{{workspaceName}}. Each link works once, for the version of the post shown.
{{#each requests}}
---
{{stageName}} / {{channelName}} / {{scheduledLocal}}

"{{postText}}"
{{#if postLink}}Link: {{postLink}}
{{/if}}
{{#if link}}Review it here: {{link}}{{else}}{{../signIn}}{{/if}}
{{/each}}`,
  { noEscape: true },
);

/** A member's daily digest: the review requests held for them in one workspace, each with its link. */
export function renderReviewDigest(workspaceName: string, requests: ReviewRequestData[]): RenderedMail {
  const heading =
    requests.length === 1 ? '1 post awaits your review' : `${requests.length} posts await your review`;
  const data = { heading, workspaceName, requests, signIn: SIGN_IN };
  return { subject: `${heading} (${workspaceName})`, text: DIGEST_TEXT(data), html: DIGEST_HTML(data) };
}
