import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../common/api/endpoints';
import { Shell } from './Shell';
import { staffSession } from './session';
import { signInProblem } from './signin';

/** Username and password; the session is kept under `jiangxin.staff`. */
export function SignIn() {
  const { t } = useTranslation('chief');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => authApi.login({ username, password }),
    onSuccess: (answer) =>
      staffSession.set({
        token: answer.token,
        expiresAt: answer.expiresAt,
        data: { account: answer.account, username: username.trim().toLowerCase() },
      }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  const problem = login.error ? signInProblem(login.error) : null;
  return (
    <Shell title={t('chief.title')}>
      <form className="chief-card sign-in" onSubmit={submit}>
        <h2>{t('signIn.title')}</h2>
        <p className="muted">{t('signIn.intro')}</p>
        <label>
          {t('signIn.username')}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label>
          {t('signIn.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
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
    </Shell>
  );
}
