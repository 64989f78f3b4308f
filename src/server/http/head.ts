import type { FastifyReply } from 'fastify';

/**
 * The answer to HEAD on a route whose GET produces its body by heavy work (typesetting a
 * 申报书, every PDF of a call, an audited export): 405 with `Allow: GET` (RFC 9110 §15.5.6),
 * no body. The route must have authenticated and authorised the caller exactly as its GET
 * does before calling this, so that HEAD refuses whom GET refuses, with GET's status, and
 * says 405 only to a caller GET would serve.
 *
 * Why not GET's status and headers without the body (Fastify's automatic HEAD route): those
 * are only known once the work is done. A PDF can still be refused while it is typeset (a
 * character no font has: 400; the renderers busy: 503) and its length is unknown until then,
 * and an export is audited as it starts; doing all that to send nothing would let a HEAD
 * cost what a GET costs and leave a false audit record.
 */
export function headNotAllowed(reply: FastifyReply): FastifyReply {
  return reply.status(405).header('allow', 'GET').send();
}
