/** What a notification is about: read by persistence, rendered by libs/mail. */
export interface NotificationFacts {
  workspaceName: string;
  action: string;
  postText: string | null;
  scheduledAt: string | null;
  status: string | null;
  detail: string | null;
  actorName: string | null;
}
