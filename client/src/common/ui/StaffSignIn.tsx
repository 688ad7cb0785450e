import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { authApi } from '../api/endpoints';
import { useI18n } from '../i18n';
import { signInProblem } from '../session/signin';
import { staffSession } from '../session/staff';
import { TextField } from './TextField';

/** The form's fields; `autoComplete` lets the browser's password manager fill them in. */
const FIELDS = [
  { name: 'username', autoComplete: 'username' },
  { name: 'password', type: 'password', autoComplete: 'current-password' },
] as const;

/**
 * Username and password for the staff consoles (chief judge, scorekeeper, organizer); the session is kept
 * under `jiangxin.staff`, so one sign-in serves every console. `title` says whose console it is.
 */
export function StaffSignIn({ title, className }: { title: string; className?: string }) {
  const { t } = useI18n();
  const [credentials, setCredentials] = useState({ username: '', password: '' });
  const login = useMutation({
    mutationFn: () => authApi.login(credentials),
    onSuccess: (answer) =>
      staffSession.set({
        token: answer.token,
        expiresAt: answer.expiresAt,
        data: { account: answer.account, username: credentials.username.trim().toLowerCase() },
      }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  const problem = login.error ? signInProblem(login.error) : null;
  return (
    <form className={`sign-in ${className ?? ''}`} onSubmit={submit}>
      <h2>{title}</h2>
      <p className="muted">{t('signIn.intro')}</p>
      {FIELDS.map((field) => (
        <TextField
          key={field.name}
          {...field}
          label={t(`signIn.${field.name}`)}
          value={credentials[field.name]}
          onChange={(value) => setCredentials((held) => ({ ...held, [field.name]: value }))}
          required
        />
      ))}
      {problem && (
        <p className="status error" role="alert">
          {problem.key === 'signIn.locked'
            ? t('signIn.locked', { minutes: problem.minutes })
            : problem.key === 'signIn.failed'
              ? t('signIn.failed', { message: problem.message })
              : t(problem.key)}
        </p>
      )}
      <button type="submit" className="button primary" disabled={login.isPending}>
        {login.isPending ? t('signIn.working') : t('signIn.submit')}
      </button>
    </form>
  );
}
