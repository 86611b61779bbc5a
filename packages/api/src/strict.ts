import { z } from 'zod';

/**
 * trpc-to-openapi switches the number and boolean fields of an input object to coercion (and does so on
 * the shared schema), which would let `"10"` or `"false"` through. It leaves pipes alone, so request
 * bodies wrap such fields in one and stay strictly typed on both transports.
 */
export const strict = <T extends z.ZodType>(schema: T) => schema.pipe(z.custom<z.output<T>>(() => true));
