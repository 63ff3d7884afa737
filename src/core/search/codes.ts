import type { Role } from '../model/types';
import type { SearchKind } from './types';

/** Roles and kinds as small integers in the index (a few bytes per message less than text). */
export const ROLES: readonly Role[] = ['user', 'assistant', 'system', 'tool', 'unknown'];
export const KINDS: readonly SearchKind[] = ['text', 'thinking', 'tool'];
export const ROLE_CODE = Object.fromEntries(ROLES.map((r, i) => [r, i])) as Record<Role, number>;
export const KIND_CODE = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<SearchKind, number>;
