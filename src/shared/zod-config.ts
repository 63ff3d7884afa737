import { z } from 'zod';

/**
 * zod compiles object parsers with `new Function` unless told not to, and probes for eval first;
 * under the app's CSP (no 'unsafe-eval') that probe raises a CSP violation report on every page
 * load. Jitless parsing needs no eval. zod reads the setting when a schema is built, so this module
 * is imported before any module that builds one: first in each entry point and in every module
 * that imports zod (test/architecture/zod-jitless.test.ts keeps that so).
 */
z.config({ jitless: true });
