import type { EventJson } from '@jiangxin/shared';

/** Names for parts of the shared results types that several views show. */
export type Standing = EventJson['standings'][number];
export type ComponentJson = Standing['components'][number];
