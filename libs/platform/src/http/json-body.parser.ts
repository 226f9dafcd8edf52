import { BadRequestException } from '@nestjs/common';
import type { FastifyBodyParser, FastifyInstance } from 'fastify';

/**
 * Fastify's JSON parser (prototype-poisoning checks included) with one change: a body it
 * rejects gets a 400 that says what is wrong, where Fastify only says "not valid JSON".
 * The failure path alone parses a second time, to recover the position of the error.
 */
export function createJsonBodyParser(fastify: FastifyInstance): FastifyBodyParser<Buffer> {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    const text = body.toString('utf8');
    parseJson(request, text, (error, value) => {
      if (error) done(new BadRequestException(describeJsonError(error, text)), undefined);
      else done(null, value);
    });
  };
}

function describeJsonError(error: Error, text: string): string {
  if ((error as { code?: string }).code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return 'Body is empty, but Content-Type is application/json';
  }
  try {
    JSON.parse(text);
  } catch (syntaxError) {
    return `Body is not valid JSON: ${(syntaxError as Error).message}`;
  }
  return 'Body is not acceptable JSON: it contains a "__proto__" or "constructor.prototype" key';
}
