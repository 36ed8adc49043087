import Handlebars from 'handlebars';
import type { RenderedMail } from './notification-templates';

/** A mail of a heading, paragraphs, and at most one link to act on; escaped in the HTML. */
interface AccountMessage {
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
  /** a PNG shown after the paragraphs, attached inline */
  image?: { cid: string; alt: string; png: Buffer; width: number };
}

const HTML = Handlebars.compile(
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:40em">
<h1 style="font-size:1.2em">{{subject}}</h1>
{{#each paragraphs}}<p>{{this}}</p>{{/each}}
{{#if image}}<p><img src="cid:{{image.cid}}" alt="{{image.alt}}" width="{{image.width}}" style="max-width:100%"></p>{{/if}}
{{#if action}}<p><a href="{{action.url}}">{{action.label}}</a></p>{{/if}}
{{#if footer}}<p style="color:#666">{{footer}}</p>{{/if}}
</body></html>`,
);

const TEXT = Handlebars.compile(
  `{{subject}}
{{#each paragraphs}}
{{this}}
{{/each}}{{#if action}}
{{action.label}}:
{{action.url}}
{{/if}}{{#if footer}}
{{footer}}
{{/if}}`,
  { noEscape: true },
);

const render = (message: AccountMessage): RenderedMail => ({
  subject: message.subject,
  text: TEXT(message),
  html: HTML(message),
  ...(message.image
    ? {
        attachments: [
          {
            filename: `${message.image.cid}.png`,
            content: message.image.png,
            contentType: 'image/png',
            cid: message.image.cid,
          },
        ],
      }
    : {}),
});

/** The link to choose a new password. */
export const renderPasswordReset = (data: {
  name: string;
  link: string;
  validMinutes: number;
}): RenderedMail =>
  render({
    subject: 'Choose a new Countersign password',
    paragraphs: [
      `Hello ${data.name},`,
      'Someone (we hope you) asked to reset the password of your Countersign account.',
    ],
    action: { label: 'Choose a new password', url: data.link },
    footer: `The link works once, for ${data.validMinutes} minutes. If you did not ask for it, ignore this mail: your password stays as it is.`,
  });

/** Told after a password change or reset, so that someone else's doing is noticed. */
export const renderPasswordChanged = (data: { name: string }): RenderedMail =>
  render({
    subject: 'Your Countersign password was changed',
    paragraphs: [
      `Hello ${data.name},`,
      'The password of your Countersign account was just changed, and your other sessions were ended.',
      'If that was not you, reset your password at once and tell the owners of your workspaces.',
    ],
  });

/** An invitation to a workspace, with the link to accept it. */
export const renderInvitation = (data: {
  workspaceName: string;
  inviterName: string | null;
  role: string;
  link: string;
  expiresLocal: string;
}): RenderedMail =>
  render({
    subject: `${data.inviterName ?? 'Someone'} invited you to ${data.workspaceName} on Countersign`,
    paragraphs: [
      `${data.inviterName ?? 'Someone'} invited you to join ${data.workspaceName} as ${data.role}.`,
      'Countersign is where posts are planned and signed off before they go out. Choose a name and a password to accept.',
    ],
    action: { label: 'Accept the invitation', url: data.link },
    footer: `The link works once, until ${data.expiresLocal}. If you do not know this workspace, ignore this mail.`,
  });

/** Someone with an account was made a member of a workspace. */
export const renderMemberAdded = (data: {
  workspaceName: string;
  adderName: string | null;
  role: string;
  url: string;
}): RenderedMail =>
  render({
    subject: `You were added to ${data.workspaceName} on Countersign`,
    paragraphs: [
      `${data.adderName ?? 'Someone'} added you to ${data.workspaceName} as ${data.role}. Log in with your account to find it.`,
    ],
    action: { label: 'Open Countersign', url: data.url },
  });

/** Told when two-factor sign-in is turned on or off, so that someone else's doing is noticed. */
export const renderMfaChanged = (data: { name: string; on: boolean }): RenderedMail =>
  render({
    subject: `Two-factor sign-in was turned ${data.on ? 'on' : 'off'} for your Countersign account`,
    paragraphs: [
      `Hello ${data.name},`,
      data.on
        ? 'Logging in now asks for a code from your authenticator app too. Keep your recovery codes somewhere safe.'
        : 'Logging in no longer asks for a code from your authenticator app.',
      'If that was not you, reset your password at once and tell the owners of your workspaces.',
    ],
  });

/** A channel's network stopped taking its credentials: its posts wait until someone reconnects it. */
export const renderChannelNeedsReconnect = (data: {
  workspaceName: string;
  channel: string;
  reason: string;
  url: string;
}): RenderedMail =>
  render({
    subject: `Reconnect ${data.channel} in ${data.workspaceName}`,
    paragraphs: [
      `The network no longer takes the credentials of ${data.channel}: ${data.reason}`,
      'Its posts are blocked, not retried, until an owner or admin connects the account again (or checks it, if the network is back). Nothing was published in its place.',
    ],
    action: { label: 'Open Countersign', url: data.url },
  });

/** Someone mentioned the reader in a comment on a post. */
export const renderCommentMention = (data: {
  workspaceName: string;
  authorName: string;
  /** the comment with mentions written as @Name */
  comment: string;
  /** the first words of the post */
  post: string;
  channel: string;
  url: string;
}): RenderedMail =>
  render({
    subject: `${data.authorName} mentioned you on "${data.post}" (${data.workspaceName})`,
    paragraphs: [`On ${data.channel}: "${data.post}"`, `${data.authorName} wrote: ${data.comment}`],
    action: { label: 'Open Countersign', url: data.url },
  });

/** Mentions spiked: the figures, what was done, and what people are saying. */
export const renderMentionSpike = (data: {
  workspaceName: string;
  count: number;
  windowMinutes: number;
  baseline: number;
  negativeShare: number;
  paused: boolean;
  mentions: Array<{ author: string; text: string }>;
  posts: Array<{ text: string; replies: number }>;
  url: string;
  /** the last hours of mentions as a PNG chart */
  chart?: Buffer;
}): RenderedMail =>
  render({
    subject: `Mention spike in ${data.workspaceName}: ${data.count} in ${data.windowMinutes} min${data.paused ? ' (publishing paused)' : ''}`,
    paragraphs: [
      `${data.count} mentions in the last ${data.windowMinutes} minutes, where about ${data.baseline} are usual; ${Math.round(data.negativeShare * 100)}% negative.`,
      data.paused
        ? 'Publishing is paused: no scheduled post goes out until an owner or admin resumes it. Posts under the emergency workflow still can, once approved.'
        : 'Publishing goes on as scheduled; pause it from Countersign if it should not.',
      ...data.mentions.map((m) => `${m.author}: "${m.text}"`),
      ...data.posts.map((p) => `${p.replies} replies to our post "${p.text}"`),
    ],
    action: { label: 'Open Countersign', url: data.url },
    ...(data.chart
      ? {
          image: {
            cid: 'mention-chart',
            alt: 'Mentions per 5 minutes over the last hours, with the usual level and the spike',
            png: data.chart,
            width: 720,
          },
        }
      : {}),
  });
