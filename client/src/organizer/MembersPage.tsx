import { type AccountRole, accountRoles, type GrantMembershipResponse } from '@jiangxin/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { membersApi } from '../common/api/endpoints';
import { Status } from '../common/ui/Status';
import { useCompetitionId, useStaffMutation, useStaffQuery } from './data';
import { refusedField } from './forms';
import { FieldProblem, Problem } from './Shell';

/**
 * The people with accounts in the competition (chief judge, encryption officer, scorekeeper, other
 * organizers): a role is given by username; an account is created when the username is new.
 */
export function MembersPage() {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const members = useStaffQuery(['members', competitionId], (o) => membersApi.list(competitionId, o));
  const empty = { username: '', displayName: '', password: '', role: 'chiefJudge' as AccountRole };
  const [draft, setDraft] = useState(empty);
  const [granted, setGranted] = useState<GrantMembershipResponse | null>(null);
  const grant = useStaffMutation(
    (body: typeof draft, o) =>
      membersApi.grant(
        competitionId,
        {
          username: body.username.trim(),
          role: body.role,
          ...(body.displayName.trim() ? { displayName: body.displayName.trim() } : {}),
          ...(body.password ? { password: body.password } : {}),
        },
        o,
      ),
    [['members', competitionId]],
  );
  const refused = refusedField(grant.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setGranted(null);
    grant.mutate(draft, {
      onSuccess: (answer) => {
        setGranted(answer);
        setDraft(empty);
      },
    });
  };
  const text = (field: 'username' | 'displayName' | 'password', type = 'text') => (
    <label className={`field${refused === field ? ' invalid' : ''}`}>
      <span>{t(`members.${field}`)}</span>
      <input
        type={type}
        name={field}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        value={draft[field]}
        onChange={(e) => setDraft((held) => ({ ...held, [field]: e.target.value }))}
        required={field === 'username'}
      />
      <FieldProblem message={refused === field ? grant.error?.message : undefined} />
    </label>
  );
  return (
    <>
      <section className="organizer-card">
        <h2>{t('members.title')}</h2>
        <Status query={members} />
        {members.data && (
          <table className="org-table" data-testid="members">
            <thead>
              <tr>
                <th>{t('members.username')}</th>
                <th>{t('members.name')}</th>
                <th>{t('members.roles')}</th>
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((m) => (
                <tr key={m.accountId} data-member={m.username}>
                  <td className="mono">{m.username}</td>
                  <td>{m.displayName}</td>
                  <td>{m.roles.map((r) => t(`role.${r}`)).join('、')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <form className="organizer-card" onSubmit={submit} data-testid="grant-member">
        <h2>{t('members.grant')}</h2>
        <p className="muted small">{t('members.hint')}</p>
        <div className="form-row">
          {text('username')}
          <label className="field">
            <span>{t('members.role')}</span>
            <select
              name="role"
              value={draft.role}
              onChange={(e) => setDraft((held) => ({ ...held, role: e.target.value as AccountRole }))}
            >
              {accountRoles.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </select>
          </label>
          {text('displayName')}
          {text('password', 'password')}
          <button
            type="submit"
            className="button primary"
            disabled={grant.isPending || draft.username.trim() === ''}
          >
            {t('members.submit')}
          </button>
        </div>
        {grant.error && !refused && <Problem error={grant.error} />}
        {granted && (
          <p className="status ok" role="status" data-testid="member-granted">
            {t(granted.accountCreated ? 'members.created' : 'members.granted', {
              name: granted.member.displayName,
            })}
          </p>
        )}
      </form>
    </>
  );
}
