import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { danishDate } from '#domain/dates';
import { audienceOf, REMINDER_KINDS, reminderApplies, reminderMessage } from '#domain/reminders';
import { requiredEnv } from '#shared/aws';
import { clock } from '#shared/clock';
import { asciiSubject } from '#shared/finance-message';
import { logger } from '#shared/logger';
import { loadMilestone, loadReferral } from '#shared/pathway-store';
import { loadReminder, markReminderSent } from '#shared/reminder-store';
import { isDependencyOutage, retry } from '#shared/retry';
import { wrapHandler } from '#shared/wrap-handler';

const sns = new SNSClient({});
const topicArn = requiredEnv('REMINDER_TOPIC_ARN');

/**
 * As in notify-finance: the record is written after the message went out, so a record that fails would send
 * the message again when Step Functions reran the task. A record refused because DynamoDB is throttling or
 * failing is tried again here, and only that, within the function's 10 s; past that the step ends with
 * RetriesExhausted, which the workflow records instead of retrying.
 */
const markRetry = { attempts: 3, baseDelayMs: 250, maxDelayMs: 1_000, retryable: isDependencyOutage };

const input = z.looseObject({
  referralId: z.string().min(1),
  outcomeId: z.string().min(1),
  weeks: z.number().int().positive(),
  kind: z.enum(REMINDER_KINDS),
});

export type ReminderResult =
  | { sent: true; messageId: string }
  | { sent: false; reason: 'already-sent' | 'already-answered' | 'deadline-passed' | 'not-lapsed' };

/**
 * The Sustainment workflow's reminder task: tells the municipality's employment actor that a milestone is open
 * or that its deadline is a week away, or its caseworker that it lapsed. Sent only while it still applies
 * (domain/reminders.ts) and only if not recorded as sent, so retries and reruns send nothing twice; the only
 * window left is a crash between the publish and the record (or a publish whose answer is lost).
 */
export const handler = wrapHandler('send-reminder', async (event: unknown): Promise<ReminderResult> => {
  const { referralId, outcomeId, weeks, kind } = input.parse(event);
  const milestone = await loadMilestone(referralId, outcomeId, weeks);
  if (!milestone) throw new Error(`Milestone ${weeks} of outcome ${outcomeId} was never opened`);
  const decision = reminderApplies(kind, milestone, danishDate(clock.now()));
  if (!decision.send) {
    logger.info('Reminder no longer applies', {
      referralId,
      outcomeId,
      weeks,
      kind,
      reason: decision.reason,
    });
    return { sent: false, reason: decision.reason };
  }
  if (await loadReminder(referralId, outcomeId, weeks, kind)) return { sent: false, reason: 'already-sent' };
  const referral = await loadReferral(referralId);
  if (!referral) throw new Error(`Referral ${referralId} not found`);
  const { subject, message } = reminderMessage({
    kind,
    referralId,
    municipality: referral.municipality,
    weeks,
    dueOn: milestone.dueOn,
    deadlineOn: milestone.deadlineOn,
  });
  const { MessageId } = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: asciiSubject(subject),
      Message: message,
      // The subscriptions' filter policies read these: each municipality's people get their own reminders.
      MessageAttributes: {
        municipality: { DataType: 'String', StringValue: referral.municipality },
        audience: { DataType: 'String', StringValue: audienceOf[kind] },
        reminder: { DataType: 'String', StringValue: kind },
        referralId: { DataType: 'String', StringValue: referralId },
      },
    }),
  );
  const messageId = MessageId ?? 'unknown';
  await retry(`mark reminder ${kind} of ${outcomeId} at ${weeks} weeks sent`, markRetry, () =>
    markReminderSent({
      referralId,
      outcomeId,
      weeks,
      reminder: kind,
      sentAt: clock.now().toISOString(),
      messageId,
    }),
  );
  logger.info('Reminder sent', { referralId, outcomeId, weeks, kind, messageId });
  return { sent: true, messageId };
});
