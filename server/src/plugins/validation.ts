import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginOptions,
  FastifyTypeProvider,
  RawServerDefault,
} from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { RequestValidationError } from './errors';

/**
 * Route schemas are zod schemas: `schema: { body: z.strictObject({...}) }` validates the request part
 * (failures reach the error handler as RequestValidationError, naming each field) and, through the type
 * provider, types `request.body`, `request.params` and so on.
 */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

/**
 * Holds a request part, already validated by the route's schema, to a stricter schema for one kind of caller:
 * the same 400 naming the field as the route's own validation.
 */
export function validated<T extends z.ZodType>(schema: T, data: unknown, part = 'body'): z.output<T> {
  const result = schema.safeParse(data, { reportInput: true });
  if (!result.success) throw new RequestValidationError(part, result.error.issues);
  return result.data;
}

/** The body of an action that takes no input: nothing, or `{}` (anything else is refused, naming the field). */
export const noBody = z.strictObject({}).nullish();

/** A route plugin whose schemas are zod schemas. */
export type RoutePlugin<Options extends FastifyPluginOptions = Record<never, never>> = FastifyPluginAsync<
  Options,
  RawServerDefault,
  ZodTypeProvider
>;

async function validation(app: FastifyInstance) {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (!(schema instanceof z.ZodType)) {
      throw new Error(`route schemas must be zod schemas (${httpPart ?? 'unknown part'})`);
    }
    return (data: unknown) => {
      const result = schema.safeParse(data, { reportInput: true });
      return result.success
        ? { value: result.data }
        : { error: new RequestValidationError(httpPart ?? 'body', result.error.issues) };
    };
  });
  // Responses are plain JSON; a zod response schema, if a route gives one, only documents the shape.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

export default fp(validation, { name: 'validation' });
