import type http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Update } from 'telegraf/types';
import { readBody, refuse, type Handler } from '../http/server.ts';
import type { Logger } from '../logger.ts';
import type { ChatLanes } from './lanes.ts';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface WebhookOptions {
  secret: string;
  /** Updates taken and not yet handled, at most: past it a request is answered 503 and Telegram retries it. */
  maxInHand: number;
}

/**
 * The webhook's handler (served by HttpServer at the webhook URL's path). A request without the secret header is
 * refused before its body is read, a body over 1 MB or that is not an update is refused. An update goes into its
 * chat's lane and is answered 200 only once it is handled (and recorded), so Telegram redelivers whatever a
 * crash cut short. `onContact` hears of each request that carried the secret (for /healthz).
 */
export function webhookHandler(
  options: WebhookOptions,
  lanes: ChatLanes,
  log: Logger,
  markHandled: (updateIds: number[]) => Promise<void>,
  onContact: () => void = () => undefined,
): Handler {
  const secret = Buffer.from(options.secret);
  const secretMatches = (header: string | string[] | undefined): boolean => {
    if (typeof header !== 'string') return false;
    const given = Buffer.from(header);
    return given.length === secret.length && timingSafeEqual(given, secret);
  };
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'])) return refuse(req, res, 401);
    onContact();
    if (Number(req.headers['content-length'] ?? 0) > WEBHOOK_BODY_LIMIT) return refuse(req, res, 413);
    if (lanes.pending >= options.maxInHand) return refuse(req, res, 503);
    const body = await readBody(req, res, WEBHOOK_BODY_LIMIT);
    if (body === undefined) return;
    let update: Update;
    try {
      update = JSON.parse(body.toString('utf8')) as Update;
      if (typeof update !== 'object' || update === null || !Number.isSafeInteger(update.update_id))
        throw new Error('not an update');
    } catch {
      return void res.writeHead(400).end();
    }
    try {
      await lanes.run(update);
      await markHandled([update.update_id]);
    } catch (err) {
      // Not handled (a failed commit), or not recorded: Telegram delivers it again.
      log.error({ err, updateId: update.update_id }, 'webhook update not handled');
      return void res.writeHead(500).end();
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  };
}
