/**
 * Who may do what. Account roles are granted per competition; judges and displays are devices paired to one
 * competition; `public` is anyone without a token (spectators).
 */
export const accountRoles = ['organizer', 'chiefJudge', 'encryptionOfficer', 'scorekeeper'] as const;
export type AccountRole = (typeof accountRoles)[number];
export type Role = AccountRole | 'judge' | 'display' | 'public';
export const roles: readonly Role[] = [...accountRoles, 'judge', 'display', 'public'];
