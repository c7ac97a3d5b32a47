import {
  array,
  boolean,
  enum as enumOf,
  intersection,
  literal,
  looseObject,
  number,
  object,
  preprocess,
  record,
  string,
  union,
  unknown,
} from '../node_modules/zod/v4/classic/schemas.js';
import { NEVER } from '../node_modules/zod/v4/core/core.js';

/**
 * `zod` as the Lambda bundles see it: HandlerFunction's bundling aliases the package `zod` to this module.
 * `import { z } from 'zod'` hands esbuild zod's namespace object, which it must keep whole: every schema kind,
 * JSON Schema conversion and all 40-odd locales (264 KB of the 443 KB), about 60 ms of every cold start. Here
 * `z` is a plain object of the schema functions the handlers call, the same classic zod functions, so esbuild
 * keeps only what they reach (English messages only, the default; the Danish ones are the schemas' own).
 * Types still come from `zod` itself, and the tests and the local runtime run the real package. A member the
 * handlers start to use must be added here: test/cdk/lambda-zod.test.ts finds the ones that are missing.
 */
export const z = {
  array,
  boolean,
  enum: enumOf,
  intersection,
  literal,
  looseObject,
  NEVER,
  number,
  object,
  preprocess,
  record,
  string,
  union,
  unknown,
};
