import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { BACKSTAGE_NAME_BY_CODE, HTTP_STATUS_BY_CODE, TarmacError, type ErrorCode } from '../errors.js';

/**
 * The one error body every route returns: `{ error: { name, code, message, details? }, request, requestId }`.
 * `error.name` and `request` mirror Backstage's error body so Backstage clients read the message.
 */
export interface ErrorBody {
  error: { name: string; code: ErrorCode; message: string; details?: unknown };
  request: { method: string; url: string };
  requestId: string;
}

function toTarmacError(err: unknown): TarmacError {
  if (err instanceof TarmacError) return err;
  const fe = err as Partial<FastifyError>;
  if (fe.validation) {
    return new TarmacError('VALIDATION_FAILED', fe.message ?? 'invalid request', { details: fe.validation });
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new TarmacError('PAYLOAD_TOO_LARGE', 'request body too large');
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return new TarmacError('BAD_REQUEST', fe.message ?? 'bad request');
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new TarmacError('BAD_REQUEST', fe.message ?? 'bad request');
  }
  return new TarmacError('INTERNAL', 'internal error', { cause: err });
}

/** Fastify error handler: maps any thrown value to a status and `ErrorBody`; logs 5xx with the cause. */
export function handleError(err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const te = toTarmacError(err);
  const status = HTTP_STATUS_BY_CODE[te.code];
  if (status >= 500) req.log.error({ err: te.cause ?? err }, te.message);
  if (te.code === 'UNAUTHENTICATED' && req.routeOptions?.config?.authChallenge === 'basic') {
    void reply.header('www-authenticate', 'Basic realm="Tarmac", charset="UTF-8"');
  }
  const body: ErrorBody = {
    error: {
      name: BACKSTAGE_NAME_BY_CODE[te.code],
      code: te.code,
      message: te.message,
      ...(te.details === undefined ? {} : { details: te.details }),
    },
    request: { method: req.method, url: req.url },
    requestId: String(req.id),
  };
  void reply.status(status).send(body);
}
